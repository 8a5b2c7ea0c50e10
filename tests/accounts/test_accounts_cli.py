"""`tclsmtp accounts list|check|login`: the verdicts against servers with
and without STARTTLS and AUTH, with right and wrong secrets; secrets never
printed."""
from __future__ import annotations

import ssl
import subprocess
import sys

import pytest

from tclsmtp.accounts_cli import main as accounts_main
from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import PlainAuth, XOAuth2Auth

from oauth_server import OAuthServer

USER = "reports@example.com"
SECRET = "s3cret-from-the-vault"


def account(server, certs, secret: str = SECRET, tls: str = "starttls", extra: str = "") -> str:
    return f"""
        [accounts.office]
        match = "smtp.office365.com"
        host = "127.0.0.1"
        port = {server.port}
        tls = "{tls}"
        cafile = "{certs.cafile}"
        username = "{USER}"
        password_env = "CHECK_SECRET"
        {extra}
        """


def check(path, capsys, monkeypatch, secret: str = SECRET) -> tuple[int, list[str]]:
    monkeypatch.setenv("CHECK_SECRET", secret)
    status = accounts_main(["--config", str(path), "check", "office"])
    out, err = capsys.readouterr()
    assert secret not in out + err
    return status, out.splitlines()


def verdicts(lines: list[str]) -> list[str]:
    """Each step's first word, after the account and server lines."""
    out = []
    for line in lines[2:]:
        step, rest = line.split(": ", 1)
        out.append(f"{step}: {rest.split()[0]}")
    return out


def test_check_starttls_and_auth_succeed(certs, write_config, capsys, monkeypatch):
    with RecordingServer(tls_context=certs.server_context, credentials={USER: SECRET},
                         auth_handlers=[PlainAuth({USER: SECRET})]) as server:
        status, lines = check(write_config(account(server, certs)), capsys, monkeypatch)
        assert server.wait_closed()
        assert server.deliveries == []                 # nothing is sent
    assert status == 0
    assert lines[0].startswith("account office (")
    assert lines[1] == f"server: 127.0.0.1 port {server.port}, TLS starttls, certificate verified"
    assert verdicts(lines) == ["connect: ok", "EHLO: ok", "STARTTLS: ok", "EHLO: ok",
                               "AUTH: offered:", "AUTH: ok", "QUIT: ok", "result: ok"]
    assert "STARTTLS" in lines[3] and "AUTH LOGIN PLAIN" in lines[5]     # capabilities
    assert lines[4].startswith("STARTTLS: ok (TLSv1.")
    assert lines[-3] == f"AUTH: ok (LOGIN as {USER})"


def test_check_wrong_secret(certs, write_config, capsys, monkeypatch):
    with RecordingServer(tls_context=certs.server_context, credentials={USER: SECRET},
                         auth_handlers=[PlainAuth({USER: SECRET})]) as server:
        status, lines = check(write_config(account(server, certs)), capsys, monkeypatch,
                              secret="wrong-one")
    assert status == 1
    assert ("AUTH: FAILED: LOGIN: 535 5.7.8 Authentication credentials invalid; "
            "PLAIN: 535 5.7.8 Authentication credentials invalid") in lines
    assert lines[-1] == "result: FAILED"


def test_check_without_starttls(certs, write_config, capsys, monkeypatch):
    with RecordingServer(credentials={USER: SECRET}) as server:
        status, lines = check(write_config(account(server, certs)), capsys, monkeypatch)
    assert status == 1
    assert lines[-2:] == ["STARTTLS: FAILED: not offered by the server (the account requires it)",
                          "result: FAILED"]
    assert not any(line.startswith("AUTH") for line in lines)


def test_check_without_auth(certs, write_config, capsys, monkeypatch):
    with RecordingServer(tls_context=certs.server_context) as server:
        status, lines = check(write_config(account(server, certs)), capsys, monkeypatch)
    assert status == 1
    assert "AUTH: FAILED: the server offers no AUTH (the account has credentials)" in lines


def test_check_a_relay_in_clear_without_credentials(write_config, capsys, monkeypatch):
    with RecordingServer() as server:
        path = write_config(f"""
            [accounts.relay]
            match = "localhost"
            host = "127.0.0.1"
            port = {server.port}
            tls = "none"
            """)
        status = accounts_main(["--config", str(path), "check", "relay"])
    lines = capsys.readouterr().out.splitlines()
    assert status == 0
    assert "AUTH: not offered by the server (none configured)" in lines
    assert lines[-1] == "result: ok"


def test_check_a_refused_connection(write_config, capsys):
    import socket
    with socket.socket() as s:                      # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    path = write_config(f'[accounts.gone]\nhost = "127.0.0.1"\nport = {port}\ntls = "none"\n')
    assert accounts_main(["--config", str(path), "check", "gone"]) == 1
    out = capsys.readouterr().out
    assert f"connect: FAILED: 127.0.0.1 port {port}: Connection refused" in out


def test_list_hides_secrets(write_config, capsys):
    path = write_config(f"""
        [accounts.office]
        match = ["smtp.office365.com", "smtp.office365.com:25"]
        match_username = "{USER}"
        port = 587
        tls = "starttls"
        oauth = {{ provider = "microsoft", tenant = "t", client_id = "c", client_secret = "{SECRET}" }}
        [accounts.relay]
        match = "localhost"
        password = "hunter2"
        """)
    assert accounts_main(["--config", str(path), "list"]) == 0
    out = capsys.readouterr().out
    assert SECRET not in out and "hunter2" not in out
    assert f"  matches:  smtp.office365.com, smtp.office365.com:25 with -username {USER}" in out
    assert ("  login:    oauth microsoft, client_credentials, client c, tenant t, "
            "client secret in the accounts file") in out
    assert "  login:    password in the accounts file" in out


def test_errors_are_one_line_not_a_traceback(write_config, tmp_path):
    path = write_config('[accounts.a]\nmatch = "x"\nport = 0\n')
    run = subprocess.run([sys.executable, "-m", "tclsmtp", "accounts", "--config", str(path),
                          "list"], capture_output=True, text=True)
    assert run.returncode == 1 and run.stdout == ""
    assert run.stderr == (f"tclsmtp accounts: {path}:3: accounts.a.port: must be a port number "
                          "1-65535, not 0\n")
    run = subprocess.run([sys.executable, "-m", "tclsmtp", "accounts", "check", "a"],
                         capture_output=True, text=True,
                         env={**__import__("os").environ, "TCLSMTP_CONFIG": str(tmp_path / "no")})
    assert run.returncode == 1
    assert run.stderr == (f"tclsmtp accounts: {tmp_path / 'no'}: no such accounts file (named by "
                          "$TCLSMTP_CONFIG)\n")


def test_login_with_the_device_code_then_check(certs, write_config, capsys):
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    certs.ca.issue_cert("127.0.0.1").configure_cert(ctx)
    oauth = OAuthServer(ctx)
    try:
        with RecordingServer(tls_context=certs.server_context, credentials={},
                             auth_handlers=[XOAuth2Auth(oauth.check)]) as server:
            path = write_config(f"""
                [accounts.me]
                match = "smtp.office365.com"
                host = "127.0.0.1"
                port = {server.port}
                tls = "starttls"
                cafile = "{certs.cafile}"
                username = "{USER}"
                mechanisms = "XOAUTH2"
                oauth = {{ provider = "microsoft", authority = "{oauth.base}/contoso", client_id = "public-1", flow = "device_code", cache = "tokens.json", cafile = "{certs.cafile}" }}
                """)
            assert accounts_main(["--config", str(path), "check", "me"]) == 1
            assert (f"AUTH: FAILED: account me: nobody has signed in for {USER}: run "
                    f"`tclsmtp accounts login me`") in capsys.readouterr().out
            assert accounts_main(["--config", str(path), "login", "me"]) == 0
            out = capsys.readouterr().out
            assert "enter the code ABCD-EFGH to authenticate." in out
            assert f"signed in as {USER}; the token is kept in {path.parent / 'tokens.json'}" in out
            assert accounts_main(["--config", str(path), "check", "me"]) == 0
            assert f"AUTH: ok (XOAUTH2 as {USER})" in capsys.readouterr().out
    finally:
        oauth.stop()
