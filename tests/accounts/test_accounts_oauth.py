"""OAuth accounts end to end: msal and google-auth talk to a real HTTPS
OAuth provider on loopback (oauth_server.py); an SMTP server accepts
XOAUTH2/OAUTHBEARER only with a token that provider issued and still holds
valid, and refuses passwords as Exchange Online does (550 5.7.30). The Tcl
script is unchanged: it still says -username/-password."""
from __future__ import annotations

import json
import os
import stat

import pytest

from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import (BASIC_AUTH_DISABLED, LoginAuth, OAuthBearerAuth, PlainAuth,
                                 XOAuth2Auth)

from accounts_support import read_log, tcl_send
from oauth_server import OAuthServer

USER = "reports@example.com"
APP_SECRET = "app-secret-Zq8"


@pytest.fixture
def oauth(certs):
    ctx = __import__("ssl").create_default_context(__import__("ssl").Purpose.CLIENT_AUTH)
    certs.ca.issue_cert("127.0.0.1", "localhost").configure_cert(ctx)
    server = OAuthServer(ctx, apps={"app-1": APP_SECRET, "google-client": "g-secret"})
    yield server
    server.stop()


@pytest.fixture
def smtp(certs, oauth):
    xoauth2, bearer = XOAuth2Auth(oauth.check), OAuthBearerAuth(oauth.check)
    with RecordingServer(tls_context=certs.server_context, credentials={},
                         auth_handlers=[xoauth2, bearer,
                                        PlainAuth({}, refusal=BASIC_AUTH_DISABLED),
                                        LoginAuth({}, refusal=BASIC_AUTH_DISABLED)]) as server:
        server.xoauth2, server.bearer = xoauth2, bearer
        yield server


def account(smtp, certs, tmp_path, oauth_table: str, extra: str = "",
            oauth_cafile: bool = True) -> str:
    if oauth_cafile:                     # the provider's certificate is our test CA's
        oauth_table += f', cafile = "{certs.cafile}"'
    return f"""
        [accounts.office]
        match = "smtp.office365.com"
        host = "127.0.0.1"
        port = {smtp.port}
        tls = "starttls"
        cafile = "{certs.cafile}"
        log = "{tmp_path}/deliveries.jsonl"
        oauth = {{ {oauth_table} }}
        {extra}
        """


def microsoft(oauth, tmp_path, secret_line='client_secret_env = "APP_SECRET"', flow="") -> str:
    return (f'provider = "microsoft", authority = "{oauth.base}/contoso", client_id = "app-1", '
            f'cache = "{tmp_path}/msal-cache.json", '
            f'{secret_line}' + (f', flow = "{flow}"' if flow else ""))


def successes(smtp) -> list[bool]:
    return [e.success for e in smtp.xoauth2.log + smtp.bearer.log]


def used_tokens(smtp) -> list[str]:
    """The bearer tokens the client presented, in order."""
    out = []
    for event in smtp.xoauth2.log + smtp.bearer.log:
        raw = event.responses[0].decode()
        out.append(raw.split("auth=Bearer ", 1)[1].split("\x01", 1)[0])
    return out


@pytest.fixture
def app_secret(monkeypatch):
    monkeypatch.setenv("APP_SECRET", APP_SECRET)


def test_microsoft_client_credentials_token_is_kept(
        smtp, oauth, certs, tmp_path, write_config, account_interp, app_secret, capfd):
    interp = account_interp(write_config(account(smtp, certs, tmp_path, microsoft(oauth, tmp_path))))
    assert tcl_send(interp, debug=True)[:2] == (0, "")
    assert tcl_send(interp)[:2] == (0, "")
    # one token for both sends: msal keeps it until shortly before it expires
    assert oauth.grants() == ["client_credentials"]
    assert successes(smtp) == [True, True]
    tokens = used_tokens(smtp)
    assert tokens[0] == tokens[1]
    # no password went anywhere; the log and -debug show no secret
    assert not any(line.startswith(("AUTH PLAIN", "AUTH LOGIN"))
                   for conn in smtp.client_lines for line in conn)
    entries = read_log(tmp_path / "deliveries.jsonl")
    assert [e["auth"] for e in entries] == ["OAUTHBEARER"] * 2   # the standard one first
    out, err = capfd.readouterr()
    assert "--> [secret hidden]" in err or "AUTH OAUTHBEARER" not in err
    seen = out + err + (tmp_path / "deliveries.jsonl").read_text()
    for secret in [APP_SECRET, "old-password", *tokens]:
        assert secret not in seen


def test_microsoft_token_is_replaced_before_it_expires(
        smtp, oauth, certs, tmp_path, write_config, account_interp, app_secret):
    interp = account_interp(write_config(account(smtp, certs, tmp_path, microsoft(oauth, tmp_path))))
    oauth.lifetime = 240                 # under msal's five minutes
    assert tcl_send(interp)[:2] == (0, "")
    oauth.advance(300)                   # the provider's clock: the first token has expired
    assert tcl_send(interp)[:2] == (0, "")
    first, second = used_tokens(smtp)
    assert not oauth.check(USER, first) and oauth.check(USER, second)
    assert oauth.grants() == ["client_credentials"] * 2
    assert successes(smtp) == [True, True] and len(smtp.deliveries) == 2


def test_microsoft_certificate_credential(smtp, oauth, certs, tmp_path, write_config,
                                          account_interp):
    from cryptography import x509
    import trustme
    issued = certs.ca.issue_cert("app-1.example.com", key_type=trustme.KeyType.RSA)
    pem = tmp_path / "app.pem"
    issued.private_key_and_cert_chain_pem.write_to_path(str(pem))
    oauth.app_certs["app-1"] = x509.load_pem_x509_certificate(
        issued.cert_chain_pems[0].bytes()).public_key()
    interp = account_interp(write_config(account(
        smtp, certs, tmp_path, microsoft(oauth, tmp_path, f'certificate = "{pem}"'))))
    assert tcl_send(interp)[:2] == (0, "")
    assert oauth.grants() == ["client_credentials"]
    assert successes(smtp) == [True]


def test_a_refused_client_secret_is_a_clear_error(smtp, oauth, certs, tmp_path, write_config,
                                                  account_interp, monkeypatch):
    monkeypatch.setenv("APP_SECRET", "not-the-secret")
    interp = account_interp(write_config(account(smtp, certs, tmp_path, microsoft(oauth, tmp_path))))
    rc, result, errorcode = tcl_send(interp)
    assert rc == 1 and errorcode == "TCLSMTP AUTH TOKEN"
    assert result == ("account office: Microsoft refused to issue a token: invalid_client: "
                      "AADSTS7000215: Invalid client secret provided.")
    assert smtp.deliveries == []
    [entry] = read_log(tmp_path / "deliveries.jsonl")
    assert entry["status"] == "failed" and entry["error"] == result
    assert "not-the-secret" not in json.dumps(entry)


def test_microsoft_device_code_login_then_unchanged_sends(smtp, oauth, certs, tmp_path,
                                                          write_config, account_interp):
    from tclsmtp.accounts import oauth as accounts_oauth
    from tclsmtp.accounts.config import load_config
    cache = tmp_path / "msal-cache.json"
    path = write_config(account(smtp, certs, tmp_path, microsoft(
        oauth, tmp_path, "tenant = 'contoso'", flow="device_code"), extra=f'username = "{USER}"'))
    interp = account_interp(path)
    rc, result, _ = tcl_send(interp)                 # nobody has signed in yet
    assert rc == 1 and result == ("account office: nobody has signed in for "
                                  f"{USER}: run `tclsmtp accounts login office`")
    source = accounts_oauth.token_source(load_config(path).get("office"), USER)
    shown = []
    assert source.login(shown.append) == USER
    assert "enter the code ABCD-EFGH" in shown[0]
    assert stat.S_IMODE(os.stat(cache).st_mode) == 0o600
    assert oauth.grants() == ["urn:ietf:params:oauth:grant-type:device_code"]
    assert tcl_send(interp)[:2] == (0, "")           # the login's access token
    # A later process: only the cache file; the token is near its expiry,
    # so the refresh token gets a new one.
    accounts_oauth._sources.clear()
    oauth.advance(3600 - 100)
    assert tcl_send(account_interp(path))[:2] == (0, "")
    assert oauth.grants()[-1] == "refresh_token"
    assert successes(smtp) == [True, True]
    assert APP_SECRET not in cache.read_text()


def test_google_service_account_with_delegation(smtp, oauth, certs, tmp_path, write_config,
                                                account_interp):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    email = "mailer@project.iam.gserviceaccount.com"
    oauth.service_accounts[email] = key.public_key()
    key_file = tmp_path / "sa.json"
    key_file.write_text(json.dumps({
        "type": "service_account", "project_id": "project", "private_key_id": "k1",
        "private_key": key.private_bytes(serialization.Encoding.PEM,
                                         serialization.PrivateFormat.PKCS8,
                                         serialization.NoEncryption()).decode(),
        "client_email": email, "client_id": "1234", "token_uri": f"{oauth.base}/token"}))
    interp = account_interp(write_config(account(smtp, certs, tmp_path, (
        f'provider = "google", service_account_file = "{key_file}"'))))
    assert tcl_send(interp)[:2] == (0, "")
    assert tcl_send(interp)[:2] == (0, "")
    assert oauth.grants() == ["urn:ietf:params:oauth:grant-type:jwt-bearer"]
    # the token is the delegated user's: OAUTHBEARER first, as offered
    assert [(e.mechanism, e.user, e.success) for e in smtp.bearer.log] == \
        [("OAUTHBEARER", USER, True)] * 2


def test_google_stored_refresh_token_is_refreshed_near_expiry(
        smtp, oauth, certs, tmp_path, write_config, account_interp, monkeypatch):
    oauth.google_refresh["1//stored-refresh"] = ("google-client", USER)
    monkeypatch.setenv("GOOGLE_REFRESH", "1//stored-refresh")
    interp = account_interp(write_config(account(smtp, certs, tmp_path, (
        f'provider = "google", token_uri = "{oauth.base}/token", client_id = "google-client", '
        f'client_secret = "g-secret", refresh_token_env = "GOOGLE_REFRESH"'),
        extra='mechanisms = ["XOAUTH2"]')))
    oauth.lifetime = 200                 # google-auth refreshes under 3 min 45 s left
    assert tcl_send(interp)[:2] == (0, "")
    oauth.advance(300)                   # the first token has expired at the provider
    assert tcl_send(interp)[:2] == (0, "")
    assert oauth.grants() == ["refresh_token"] * 2
    first, second = used_tokens(smtp)
    assert not oauth.check(USER, first) and oauth.check(USER, second)
    assert successes(smtp) == [True] * 2 and smtp.bearer.log == []   # mechanisms: XOAUTH2


def test_token_command(smtp, oauth, certs, tmp_path, write_config, account_interp):
    token = oauth.issue(USER, "helper", "")["access_token"]
    interp = account_interp(write_config(account(
        smtp, certs, tmp_path, f'provider = "command", token_command = "echo {token}"',
        oauth_cafile=False)))
    assert tcl_send(interp)[:2] == (0, "")
    assert used_tokens(smtp) == [token]


def test_passwords_are_refused_as_exchange_online_does(smtp, oauth, capfd):
    """Without an account, the script's password meets 550 5.7.30 (the test
    server stands for Exchange Online with Basic authentication off)."""
    import tkinter

    import tclsmtp
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    tcl_send(interp, servers="127.0.0.1", ports=str(smtp.port), debug=True)
    assert smtp.xoauth2.log == [] and smtp.bearer.log == []   # never a password as a token
    err = capfd.readouterr().err
    for mech in ("LOGIN", "PLAIN"):
        assert (f"AUTH {mech} failed: diagnostic {{5.7.30 Basic authentication is not "
                f"supported for Client Submission}} args {{}} code 550 ") in err


def test_tclsmtp_run_finds_the_account_through_the_environment(smtp, oauth, certs, tmp_path,
                                                                write_config):
    """The whole path a cron job takes: `tclsmtp run script.tcl` with
    $TCLSMTP_CONFIG, an unchanged script naming Exchange Online and its old
    password, two sends in one run (one token for both)."""
    from reference import run_tclsmtp
    path = write_config(account(smtp, certs, tmp_path, microsoft(oauth, tmp_path)))
    script = """package require smtp
package require mime
foreach n {1 2} {
    set t [mime::initialize -canonical text/plain -string "report $n"]
    smtp::sendmessage $t -servers smtp.office365.com -ports 587 \\
        -username reports@example.com -password old-password \\
        -header {From reports@example.com} -header {To bob@example.com}
    mime::finalize $t
}
puts sent
"""
    run = run_tclsmtp(script, env={"TCLSMTP_CONFIG": str(path), "APP_SECRET": APP_SECRET})
    assert (run.returncode, run.stdout, run.stderr) == (0, "sent\n", "")
    assert smtp.wait_closed()
    assert [d.rcpt_tos for d in smtp.deliveries] == [["bob@example.com"]] * 2
    assert oauth.grants() == ["client_credentials"] and successes(smtp) == [True, True]
    assert [e["status"] for e in read_log(tmp_path / "deliveries.jsonl")] == ["sent", "sent"]


def test_keepalive_account_shares_one_connection(smtp, oauth, certs, tmp_path, write_config,
                                                 account_interp, app_secret):
    interp = account_interp(write_config(account(smtp, certs, tmp_path, microsoft(oauth, tmp_path),
                                                 extra="keepalive = 30")))
    assert tcl_send(interp)[:2] == (0, "")
    assert tcl_send(interp)[:2] == (0, "")
    assert len(smtp.deliveries) == 2
    assert len(smtp.connections) == 1                  # the second send reused the first's
    assert successes(smtp) == [True]                   # one AUTH for both
    assert [e["status"] for e in read_log(tmp_path / "deliveries.jsonl")] == ["sent", "sent"]
    del interp                                         # the session goes: QUIT
