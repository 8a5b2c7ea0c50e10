"""Unchanged scripts sending through an account: the account says where the
server really is, how TLS goes and where the password comes from; the
delivery log records each message; no secret shows anywhere."""
from __future__ import annotations

import json

import pytest

import tclsmtp
from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import LoginAuth, PlainAuth

from accounts_support import read_log, tcl_send

USER = "reports@example.com"
SECRET = "s3cret-from-the-vault"
USERS = {USER: SECRET}


@pytest.fixture
def tls_server(certs):
    with RecordingServer(tls_context=certs.server_context, credentials=USERS,
                         auth_handlers=[PlainAuth(USERS), LoginAuth(USERS)],
                         refuse={"nobody@example.com": "550 5.1.1 no such user"}) as s:
        yield s


def office(server, certs, tmp_path, secret_line: str, extra: str = "") -> str:
    return f"""
        [accounts.office]
        match = "smtp.office365.com"
        host = "127.0.0.1"
        port = {server.port}
        tls = "starttls"
        cafile = "{certs.cafile}"
        {secret_line}
        log = "{tmp_path}/log/deliveries.jsonl"
        {extra}
        """


def auth_lines(server) -> list[str]:
    return [line for conn in server.client_lines for line in conn if line.startswith("AUTH")]


def test_password_command_replaces_the_scripts_password(tls_server, certs, tmp_path,
                                                         write_config, account_interp, capfd):
    path = write_config(office(tls_server, certs, tmp_path,
                               f'password_command = "printf \'%s\\\\n\' {SECRET}"'))
    interp = account_interp(path)
    # The script names Exchange Online and its old password, and asks for -debug.
    rc, result, _ = tcl_send(interp, debug=True)
    assert (rc, result) == (0, "")
    assert tls_server.wait_closed()
    conn = tls_server.client_lines[0]
    assert conn[:3] == ["EHLO vm", "STARTTLS", "EHLO vm"]
    assert conn[3] == "AUTH LOGIN"
    assert [(d.mail_from, d.rcpt_tos) for d in tls_server.deliveries] == [(USER, ["bob@example.com"])]
    [entry] = read_log(tmp_path / "log" / "deliveries.jsonl")
    delivered = tls_server.deliveries[0].data
    assert entry["account"] == "office"
    assert (entry["server"], entry["port"]) == ("127.0.0.1", tls_server.port)
    assert entry["tls"] in ("TLSv1.2", "TLSv1.3")
    assert entry["auth"] == "LOGIN"
    assert entry["sender"] == USER
    assert entry["recipients"] == [{"address": "bob@example.com", "code": 250}]
    assert entry["message_id"] == "<m1@example.com>"
    assert entry["size"] == len(delivered)                 # the bytes the server received
    assert entry["reply"] == {"code": 250, "text": "OK"}
    assert entry["status"] == "sent" and entry["duration"] >= 0
    out, err = capfd.readouterr()
    everything = out + err + (tmp_path / "log" / "deliveries.jsonl").read_text()
    assert "Trying 127.0.0.1..." in err                     # -debug did print
    assert SECRET not in everything and "old-password" not in everything
    import base64
    assert base64.b64encode(SECRET.encode()).decode() not in everything


def test_the_log_records_refusals(tls_server, certs, tmp_path, write_config, account_interp):
    path = write_config(office(tls_server, certs, tmp_path, 'password_env = "MAIL_SECRET"'))
    interp = account_interp(path)
    import os
    os.environ["MAIL_SECRET"] = SECRET
    try:
        rc, result, _ = tcl_send(interp, to="nobody@example.com")
    finally:
        del os.environ["MAIL_SECRET"]
    # tcllib: a refused recipient is in the result, not an error
    assert rc == 0 and "nobody@example.com 550" in result
    [entry] = read_log(tmp_path / "log" / "deliveries.jsonl")
    assert entry["recipients"] == [{"address": "nobody@example.com", "code": 550}]
    assert entry["status"] == "failed" and entry["reply"] is None
    assert entry["error"] == "no recipient was accepted"


def test_the_log_counts_only_bytes_sent(certs, tmp_path, write_config, account_interp):
    """With PIPELINING the message is built while the server answers MAIL,
    RCPT and DATA; a sender refused there sent no byte of it."""
    with RecordingServer(tls_context=certs.server_context, credentials=USERS,
                         auth_handlers=[PlainAuth(USERS)], pipelining=True,
                         refuse_senders={USER: "553 5.7.1 sender refused"}) as server:
        path = write_config(office(server, certs, tmp_path, 'password_env = "MAIL_SECRET"'))
        import os
        os.environ["MAIL_SECRET"] = SECRET
        try:
            rc, result, _ = tcl_send(account_interp(path))
        finally:
            del os.environ["MAIL_SECRET"]
        assert server.deliveries == []
        assert any(b"MAIL FROM:" in chunk and b"DATA" in chunk
                   for conn in server.connections for who, chunk in conn.transcript if who == "C")
    assert rc == 7 and "553" in result
    [entry] = read_log(tmp_path / "log" / "deliveries.jsonl")
    assert entry["reply"]["code"] == 553 and entry["status"] == "failed"
    assert entry["size"] == 0


def test_password_from_the_keyring(tls_server, certs, tmp_path, write_config, account_interp):
    import keyring
    from keyrings.alt.file import PlaintextKeyring
    backend = PlaintextKeyring()
    backend.file_path = str(tmp_path / "keyring.cfg")   # a real file-backed keyring
    backend.set_password("smtp.office365.com", USER, SECRET)
    previous = keyring.get_keyring()
    keyring.set_keyring(backend)
    try:
        path = write_config(office(tls_server, certs, tmp_path,
                                   'password_keyring = "smtp.office365.com"'))
        rc, result, _ = tcl_send(account_interp(path))
        assert (rc, result) == (0, "")
        path = write_config(office(tls_server, certs, tmp_path,
                                   'password_keyring = "elsewhere"'), name="other.toml")
        rc, result, errorcode = tcl_send(account_interp(path))
    finally:
        keyring.set_keyring(previous)
    assert rc == 1 and errorcode == "TCLSMTP ACCOUNT"
    assert result == ("account office: accounts.office.password_keyring: no password in the "
                      f"keyring for service 'elsewhere', user '{USER}' (store one with: keyring "
                      f"set elsewhere {USER})")
    assert len(tls_server.deliveries) == 1


def test_a_failing_password_command_is_a_clear_error(tls_server, certs, tmp_path, write_config,
                                                    account_interp):
    path = write_config(office(tls_server, certs, tmp_path,
                               'password_command = "echo oops >&2; exit 3"'))
    rc, result, errorcode = tcl_send(account_interp(path))
    assert rc == 1 and errorcode == "TCLSMTP ACCOUNT"
    assert result == ("account office: accounts.office.password_command: the command "
                      "'echo oops >&2; exit 3' failed (exit status 3)")
    assert tls_server.client_lines == []                 # nothing was sent anywhere


def test_starttls_required_by_the_account(certs, tmp_path, write_config, account_interp):
    with RecordingServer(credentials=USERS, auth_handlers=[PlainAuth(USERS)]) as plain:
        path = write_config(office(plain, certs, tmp_path, f'password = "{SECRET}"'))
        rc, result, errorcode = tcl_send(account_interp(path))
        assert plain.wait_closed()
        lines = plain.client_lines[0]
    assert rc == 1 and errorcode == "TCLSMTP TLS REQUIRED"
    assert result == "127.0.0.1 does not offer STARTTLS, and the account requires it"
    assert lines == ["EHLO vm"]                          # no AUTH, no MAIL in clear
    [entry] = read_log(tmp_path / "log" / "deliveries.jsonl")
    assert entry["status"] == "failed" and entry["error"] == result


def test_implicit_tls_and_the_accounts_user_name(certs, tmp_path, write_config, account_interp):
    with RecordingServer(tls_context=certs.server_context, implicit_tls=True, credentials=USERS,
                         auth_handlers=[PlainAuth(USERS)], auth_mechanisms=["PLAIN"]) as server:
        path = write_config(f"""
            [accounts.smtps]
            match = "smtp.example.com:465"
            host = "127.0.0.1"
            port = {server.port}
            tls = "implicit"
            cafile = "{certs.cafile}"
            username = "{USER}"
            password = "{SECRET}"
            """)
        rc, result, _ = tcl_send(account_interp(path), servers="smtp.example.com", ports="465",
                                 username="legacy-user")
        assert (rc, result) == (0, "")
        assert server.wait_closed()
        assert server.client_lines[0][:1] == ["EHLO vm"]
        assert len(server.deliveries) == 1


def test_without_a_matching_account_the_script_is_obeyed(tls_server, certs, tmp_path,
                                                         write_config, account_interp):
    path = write_config(office(tls_server, certs, tmp_path, 'password = "wrong"'))
    rc, result, _ = tcl_send(account_interp(path), servers="127.0.0.1",
                             ports=str(tls_server.port), password=SECRET)
    assert (rc, result) == (0, "")
    assert not (tmp_path / "log").exists()               # not an account's send


def test_a_bad_accounts_file_is_the_scripts_error(write_config, account_interp, server):
    path = write_config('[accounts.office]\nmatch = "smtp.office365.com"\n\ntsl = "starttls"\n')
    rc, result, errorcode = tcl_send(account_interp(path), servers="127.0.0.1",
                                     ports=str(server.port))
    assert rc == 1 and errorcode == "TCLSMTP ACCOUNT"
    assert result.startswith(f"{path}:4: accounts.office.tsl: unknown key")


def test_the_python_api_takes_an_account(tls_server, certs, tmp_path, write_config):
    from email.message import EmailMessage
    path = write_config(office(tls_server, certs, tmp_path, f'password = "{SECRET}"'))
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = USER, "bob@example.com", "report"
    msg.set_content("the nightly report\n")
    result = tclsmtp.sendmessage(msg, servers=["anything.invalid"], username=USER,
                                 account="office", config=str(path))
    assert result.refused == {} and result.reply[0] == 250
    [entry] = read_log(tmp_path / "log" / "deliveries.jsonl")
    assert entry["account"] == "office" and entry["status"] == "sent"
    with pytest.raises(ValueError, match=r"no account 'offce' \(accounts: office\)"):
        tclsmtp.sendmessage(msg, username=USER, account="offce", config=str(path))
    from tclsmtp.smtp.api import sendmessage_tcl
    assert sendmessage_tcl(msg, username=USER, headers=[("To", "bob@example.com")],
                           account="office", config=str(path)) == []
    assert [e["status"] for e in read_log(tmp_path / "log" / "deliveries.jsonl")] == ["sent"] * 2
