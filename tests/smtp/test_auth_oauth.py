"""XOAUTH2 and OAUTHBEARER on the wire: used only when asked for, with the
token from -password or from a Python token provider, never a password."""
from __future__ import annotations

import base64
import tkinter

import pytest

import tclsmtp
from tclsmtp.bridge import session_of
from tclsmtp.errors import ScriptError
from tclsmtp.session import Session
from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import LoginAuth, OAuthBearerAuth, PlainAuth, XOAuth2Auth
from tclsmtp.smtp.sasl import (
    ENV_MECHANISMS, AuthConfig, auth_config, configure_auth, oauthbearer_initial,
    xoauth2_initial,
)

from test_auth_wire import auth_lines, run_ours

USERS = {"alice@example.com": "password-1"}
TOKENS = {"alice@example.com": "ya29.token-abc"}
USER = "alice@example.com"


def oauth_server(**kw):
    return RecordingServer(credentials=USERS, auth_handlers=[
        XOAuth2Auth(TOKENS), OAuthBearerAuth(TOKENS), PlainAuth(USERS), LoginAuth(USERS)], **kw)


def decoded_lines(lines):
    out = []
    for line in lines:
        word = line.split()[-1] if line.startswith("AUTH ") and len(line.split()) == 3 else line
        try:
            out.append(base64.b64decode(word, validate=True))
        except Exception:
            out.append(word.encode())
    return out


def test_oauth_is_never_tried_unless_asked():
    # The server offers both OAuth mechanisms first in the list; a plain
    # password configuration never sends the password as a token.
    with oauth_server() as server:
        run = run_ours(server, USER, "password-1")
        lines = auth_lines(server.client_lines[0])
    assert run.outcome.mechanism == "LOGIN"
    assert not any("XOAUTH2" in l or "OAUTHBEARER" in l for l in lines)


def test_oauth_only_server_gets_no_password():
    with RecordingServer(credentials=USERS, auth_handlers=[XOAuth2Auth(TOKENS)],
                         auth_mechanisms=["XOAUTH2"]) as server:
        run = run_ours(server, USER, "password-1")
        assert auth_lines(server.client_lines[0]) == []
    assert not run.outcome.tried


def test_xoauth2_token_from_password():
    config = AuthConfig(mechanisms=("XOAUTH2",))
    with oauth_server() as server:
        run = run_ours(server, USER, TOKENS[USER], config)
        lines = auth_lines(server.client_lines[0])
    assert run.outcome.mechanism == "XOAUTH2"
    assert lines == ["AUTH XOAUTH2 " + base64.b64encode(
        b"user=alice@example.com\x01auth=Bearer ya29.token-abc\x01\x01").decode()]
    assert run.sent == [(lines[0], True)]          # the token is on the AUTH line: secret


def test_oauthbearer_token_from_provider_sends_host_and_port():
    calls = []

    def provider() -> str:
        calls.append(1)
        return TOKENS[USER]
    config = AuthConfig(token_provider=provider)
    handler = OAuthBearerAuth(TOKENS)
    with RecordingServer(credentials=USERS, auth_handlers=[handler, XOAuth2Auth(TOKENS)]) as server:
        run = run_ours(server, USER, "password-1", config)
        lines = auth_lines(server.client_lines[0])
    assert run.outcome.mechanism == "OAUTHBEARER"
    assert calls == [1]
    assert lines == ["AUTH OAUTHBEARER " + base64.b64encode(
        oauthbearer_initial(USER, TOKENS[USER], "127.0.0.1", server.port)).decode()]
    assert handler.log[0].details == {"host": "127.0.0.1", "port": str(server.port)}
    assert b"password-1" not in b"".join(decoded_lines(server.client_lines[0]))


def test_bad_token_errors_are_answered_and_nothing_else_is_tried():
    config = AuthConfig(token_provider=lambda: "expired")
    with oauth_server() as server:
        run = run_ours(server, USER, "password-1", config)
        lines = auth_lines(server.client_lines[0])
    assert [(a.mechanism, a.code) for a in run.outcome.attempts] == \
        [("OAUTHBEARER", 535), ("XOAUTH2", 535)]
    # OAUTHBEARER answers the JSON error with ^A, XOAUTH2 with an empty line;
    # the offered PLAIN and LOGIN are not tried with the password.
    assert lines == [
        "AUTH OAUTHBEARER " + base64.b64encode(
            oauthbearer_initial(USER, "expired", "127.0.0.1", server.port)).decode(),
        "AQ==",
        "AUTH XOAUTH2 " + base64.b64encode(xoauth2_initial(USER, "expired")).decode(),
        ""]


def test_explicit_list_may_name_password_mechanisms_after_oauth():
    config = AuthConfig(mechanisms=("xoauth2", "PLAIN"), token_provider=lambda: "expired")
    with oauth_server() as server:
        run = run_ours(server, USER, "password-1", config)
    assert [(a.mechanism, a.code) for a in run.outcome.attempts] == \
        [("XOAUTH2", 535), ("PLAIN", 235)]


def test_long_token_goes_after_an_empty_challenge():
    # RFC 4954 section 4: an AUTH line may not exceed 512 octets with its
    # CRLF (real Microsoft 365 tokens are far longer). aiosmtpd enforces
    # the limit on the AUTH line and about as much on an answer, so this
    # token makes the AUTH line 523 octets and the answer line 510.
    token = "eyJ0" + "x" * 339
    assert len(base64.b64encode(xoauth2_initial(USER, token))) == 508
    tokens = {USER: token}
    with RecordingServer(credentials=USERS, auth_handlers=[XOAuth2Auth(tokens)],
                         auth_mechanisms=["XOAUTH2"]) as server:
        run = run_ours(server, USER, token, AuthConfig(mechanisms=("XOAUTH2",)))
        lines = auth_lines(server.client_lines[0])
    assert run.outcome.mechanism == "XOAUTH2"
    assert lines == ["AUTH XOAUTH2", base64.b64encode(xoauth2_initial(USER, token)).decode()]
    assert run.sent == [("AUTH XOAUTH2", False), (lines[1], True)]
    assert run.replies[0] == (334, "")


# ---------------------------------------------------------------- configuration

def test_default_order_is_password_mechanisms_only():
    order = AuthConfig().order()
    assert "XOAUTH2" not in order and "OAUTHBEARER" not in order
    assert order[:2] == ("SCRAM-SHA-256", "SCRAM-SHA-1")
    assert order[-4:] == ("CRAM-MD5", "LOGIN", "PLAIN", "ANONYMOUS")
    assert AuthConfig(token_provider=lambda: "t").order() == ("OAUTHBEARER", "XOAUTH2")


def test_unknown_mechanism_is_refused():
    with pytest.raises(ValueError, match="unknown SASL mechanism 'GSSAPI'"):
        AuthConfig(mechanisms=("GSSAPI",))


def test_environment_selects_oauth_for_unchanged_scripts(monkeypatch):
    monkeypatch.setenv(ENV_MECHANISMS, "XOAUTH2, OAUTHBEARER")
    assert auth_config(Session()).order() == ("XOAUTH2", "OAUTHBEARER")
    monkeypatch.setenv(ENV_MECHANISMS, "")
    assert auth_config(Session()) == AuthConfig()
    monkeypatch.setenv(ENV_MECHANISMS, "XOAUTH3")
    with pytest.raises(ScriptError, match="TCLSMTP_AUTH_MECHANISMS: unknown SASL mechanism"):
        auth_config(Session())


def test_configure_auth_per_interpreter(monkeypatch):
    monkeypatch.setenv(ENV_MECHANISMS, "PLAIN")
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    provider = lambda: "tok"
    config = configure_auth(interp, mechanisms=["XOAUTH2"], token_provider=provider)
    session = session_of(interp)
    assert auth_config(session) is config             # wins over the environment
    other = tkinter.Tcl()
    tclsmtp.install(other)
    assert auth_config(session_of(other)).order() == ("PLAIN",)
