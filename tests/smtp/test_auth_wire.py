"""AUTH conversations on the wire: our authenticate() against real aiosmtpd
servers on loopback, compared line by line with tcllib's smtp::sendmessage
(tclsh + tcllib) against the same kind of server.

Our side talks through smtplib's low-level docmd() on a real socket; the
server records every byte each client sent, so both clients' AUTH lines
are compared exactly as they crossed the wire.
"""
from __future__ import annotations

import base64
import re
import smtplib
from dataclasses import dataclass, field
from typing import Any, Optional

from aiosmtpd.smtp import AuthResult

import pytest

from reference import run_tclsh
from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import (
    CramMd5Auth, DigestMd5Auth, LoginAuth, PlainAuth, ScramSha1Auth, ScramSha256Auth,
)
from tclsmtp.smtp.sasl import (
    AuthConfig, AuthOutcome, authenticate, cram_md5_response, digest_md5_response,
    offered_mechanisms,
)

USERS = {"alice": "s3cret pass"}
WRONG = {"alice": "not the password"}


# ---------------------------------------------------------------- helpers

@dataclass
class OurRun:
    outcome: AuthOutcome
    log: list[str]
    sent: list[tuple[str, bool]] = field(default_factory=list)   # (line, secret)
    replies: list[tuple[int, str]] = field(default_factory=list)


def run_ours(server: RecordingServer, username: str, password: str,
             config: Optional[AuthConfig] = None) -> OurRun:
    """EHLO, then authenticate() through smtplib's docmd on a real socket."""
    client = smtplib.SMTP("127.0.0.1", server.port, timeout=30)
    try:
        client.ehlo("vm")
        ehlo_args = [line.strip() for line in
                     client.ehlo_resp.decode("latin-1").split("\n")[1:]]
        run = OurRun(AuthOutcome(), [])

        def exchange(line: str, *, secret: bool = False) -> tuple[int, str]:
            run.sent.append((line, secret))
            code, text = client.docmd(line)
            run.replies.append((code, text.decode("latin-1")))
            return code, text.decode("latin-1")

        run.outcome = authenticate(exchange, offered_mechanisms(ehlo_args), username,
                                   password, host="127.0.0.1", port=server.port,
                                   config=config, log=run.log.append)
        client.quit()
    finally:
        client.close()
    return run


def tcl_quote(text: str) -> str:
    """A Tcl double-quoted word for any string (\\u escapes beyond ASCII)."""
    out = []
    for ch in text:
        if ch in '"\\$[]':
            out.append("\\" + ch)
        elif 32 <= ord(ch) < 127:
            out.append(ch)
        else:
            out.append(f"\\u{ord(ch):04x}")
    return '"' + "".join(out) + '"'


def run_tcllib(server: RecordingServer, username: str, password: str):
    """tcllib's smtp::sendmessage with -username/-password and -debug 1."""
    script = f"""
package require mime
package require smtp
set t [mime::initialize -canonical text/plain -string "hello"]
set rc [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {server.port} \\
    -username {tcl_quote(username)} -password {tcl_quote(password)} -debug 1 \\
    -header {{From alice@example.com}} -header {{To bob@example.com}}}} result]
puts "rc=$rc result=$result"
"""
    run = run_tclsh(script)
    assert run.stdout.startswith("rc="), run.stderr
    return run


def auth_lines(lines: list[str]) -> list[str]:
    """The client's lines from its first AUTH up to MAIL FROM or QUIT."""
    start = next((i for i, l in enumerate(lines) if l.startswith("AUTH")), None)
    if start is None:
        return []
    out = []
    for line in lines[start:]:
        if line.upper().startswith(("MAIL FROM", "QUIT")):
            break
        out.append(line)
    return out


def after_auth(lines: list[str]) -> Optional[str]:
    """The first client line after the AUTH part."""
    got = auth_lines(lines)
    start = lines.index(got[0]) if got else 0
    rest = lines[start + len(got):]
    return rest[0] if rest else None


def debug_auth_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("AUTH ")]


def both(handlers_factory, *, mechanisms=None, credentials=USERS, username="alice",
         password=USERS["alice"], config=None):
    """The same server set-up twice: tcllib against one, ours against the other."""
    with RecordingServer(credentials=credentials, auth_handlers=handlers_factory(),
                         auth_mechanisms=mechanisms) as ref_server:
        ref = run_tcllib(ref_server, username, password)
        assert ref_server.wait_closed()
        ref_lines = ref_server.client_lines[0]
    with RecordingServer(credentials=credentials, auth_handlers=handlers_factory(),
                         auth_mechanisms=mechanisms) as our_server:
        ours = run_ours(our_server, username, password, config)
        our_lines = our_server.client_lines[0]
    return ref, ref_lines, ours, our_lines


def b64(text: bytes) -> str:
    return base64.b64encode(text).decode()


# ---------------------------------------------------------------- one mechanism each

@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
def test_plain_and_login_lines_match_tcllib(tcllib, mechanism):
    ref, ref_lines, ours, our_lines = both(lambda: [], mechanisms=[mechanism])
    assert auth_lines(ref_lines)[0] == f"AUTH {mechanism}"
    assert auth_lines(our_lines) == auth_lines(ref_lines)
    assert ours.outcome.mechanism == mechanism
    assert after_auth(ref_lines).startswith("MAIL FROM")     # tcllib went on after 235


def test_plain_and_login_wire_forms_are_the_rfc_forms(tcllib):
    _, ref_plain, _, our_plain = both(lambda: [], mechanisms=["PLAIN"])
    assert auth_lines(our_plain) == ["AUTH PLAIN", b64(b"\0alice\0s3cret pass")]
    _, ref_login, _, our_login = both(lambda: [], mechanisms=["LOGIN"])
    assert auth_lines(our_login) == ["AUTH LOGIN", b64(b"alice"), b64(b"s3cret pass")]


def test_cram_md5_matches_tcllib(tcllib):
    handlers: list[CramMd5Auth] = []

    def factory():
        handlers.append(CramMd5Auth(USERS))
        return [handlers[-1]]
    ref, ref_lines, ours, our_lines = both(factory, mechanisms=["CRAM-MD5"])
    ref_auth, our_auth = auth_lines(ref_lines), auth_lines(our_lines)
    assert ref_auth[0] == our_auth[0] == "AUTH CRAM-MD5"
    assert len(ref_auth) == len(our_auth) == 2
    # Each answer is the RFC 2195 digest of that connection's own challenge.
    for handler, answer in zip(handlers, (ref_auth[1], our_auth[1])):
        challenge = handler.log[0].challenges[0]
        assert base64.b64decode(answer) == cram_md5_response("alice", "s3cret pass", challenge)
        assert handler.log[0].success
    assert ours.outcome.mechanism == "CRAM-MD5"


_DIGEST_VOLATILE = re.compile(rb'((?:^|,)(?:nonce|cnonce|response)=")[^"]*(")')


def _normalize_digest(line: str) -> bytes:
    return _DIGEST_VOLATILE.sub(rb"\1*\2", base64.b64decode(line))


def test_digest_md5_matches_tcllib(tcllib):
    handlers: list[DigestMd5Auth] = []

    def factory():
        handlers.append(DigestMd5Auth(USERS))
        return [handlers[-1]]
    ref, ref_lines, ours, our_lines = both(factory, mechanisms=["DIGEST-MD5"])
    ref_auth, our_auth = auth_lines(ref_lines), auth_lines(our_lines)
    # AUTH line, the digest response, the empty answer to rspauth.
    assert ref_auth[0] == our_auth[0] == "AUTH DIGEST-MD5"
    assert ref_auth[2:] == our_auth[2:] == [""]
    # Same fields in the same order, nonce/cnonce/response aside ...
    assert _normalize_digest(ref_auth[1]) == _normalize_digest(our_auth[1])
    # ... and tcllib's response is exactly ours for tcllib's own cnonce.
    ref_event = handlers[0].log[0]
    tcllib_cnonce = ref_event.details["params"]["cnonce"]
    assert base64.b64decode(ref_auth[1]) == digest_md5_response(
        "alice", "s3cret pass", ref_event.challenges[0], cnonce=tcllib_cnonce)
    assert ref_event.success and handlers[1].log[0].success
    assert ours.outcome.mechanism == "DIGEST-MD5"


# ---------------------------------------------------------------- choosing and falling back

def test_strongest_offered_first_then_fallback_like_tcllib(tcllib):
    # DIGEST-MD5 and CRAM-MD5 refuse the password, LOGIN takes it.
    factory = lambda: [DigestMd5Auth(WRONG), CramMd5Auth(WRONG), LoginAuth(USERS), PlainAuth(USERS)]
    ref, ref_lines, ours, our_lines = both(factory)
    ref_auth, our_auth = auth_lines(ref_lines), auth_lines(our_lines)
    commands = [l for l in ref_auth if l.startswith("AUTH")]
    assert commands == ["AUTH DIGEST-MD5", "AUTH CRAM-MD5", "AUTH LOGIN"]
    assert [l for l in our_auth if l.startswith("AUTH")] == commands
    assert ref_auth[-3:] == our_auth[-3:] == ["AUTH LOGIN", b64(b"alice"), b64(b"s3cret pass")]
    assert ours.outcome.mechanism == "LOGIN"
    assert [a.mechanism for a in ours.outcome.attempts] == ["DIGEST-MD5", "CRAM-MD5", "LOGIN"]
    # tcllib's -debug lines for the failures, word for word.
    assert ours.log == debug_auth_lines(ref.stderr)
    assert ours.log == [
        "AUTH DIGEST-MD5 failed: diagnostic {5.7.8 Authentication credentials invalid} args {} code 535 ",
        "AUTH CRAM-MD5 failed: diagnostic {5.7.8 Authentication credentials invalid} args {} code 535 "]


def test_every_mechanism_refused_goes_on_unauthenticated_like_tcllib(tcllib):
    factory = lambda: [DigestMd5Auth(WRONG), CramMd5Auth(WRONG), LoginAuth(WRONG), PlainAuth(WRONG)]
    ref, ref_lines, ours, our_lines = both(factory)
    strip = lambda lines: [l if l.startswith("AUTH") or l == "" else "*" for l in lines]
    assert [l for l in auth_lines(our_lines) if l.startswith("AUTH")] == \
        ["AUTH DIGEST-MD5", "AUTH CRAM-MD5", "AUTH LOGIN", "AUTH PLAIN"]
    assert strip(auth_lines(our_lines)) == strip(auth_lines(ref_lines))
    assert not ours.outcome.authenticated and len(ours.outcome.attempts) == 4
    assert ours.log == debug_auth_lines(ref.stderr)
    # tcllib then tries to send anyway: the next command is MAIL FROM.
    assert after_auth(ref_lines).startswith("MAIL FROM")


def test_mechanisms_not_offered_are_never_tried(tcllib):
    ref, ref_lines, ours, our_lines = both(lambda: [CramMd5Auth(USERS)],
                                           mechanisms=["CRAM-MD5", "PLAIN"])
    assert [l for l in auth_lines(ref_lines) if l.startswith("AUTH")] == ["AUTH CRAM-MD5"]
    assert [l for l in auth_lines(our_lines) if l.startswith("AUTH")] == ["AUTH CRAM-MD5"]


def test_no_username_no_auth_like_tcllib(tcllib):
    ref, ref_lines, ours, our_lines = both(lambda: [], username="", password="x")
    assert auth_lines(ref_lines) == [] and auth_lines(our_lines) == []
    assert not ours.outcome.tried


def test_a_confused_login_server_cancelled_with_a_star(tcllib):
    # A third LOGIN prompt: tcllib's SASL step fails, it sends nothing and
    # goes straight to the next mechanism, whose AUTH line the server takes
    # for the third answer. We cancel with "*" (RFC 4954, docs/compat.md),
    # so the next mechanism gets a conversation in step.
    factory = lambda: [LoginAuth(USERS, prompts=(b"User Name\0", b"Password\0", b"Again\0")),
                       PlainAuth(USERS)]
    ref, ref_lines, ours, our_lines = both(factory)
    login = ["AUTH LOGIN", b64(b"alice"), b64(b"s3cret pass")]
    assert auth_lines(ref_lines)[:4] == login + ["AUTH PLAIN"]
    assert auth_lines(our_lines)[:5] == login + ["*", "AUTH PLAIN"]
    assert ours.outcome.mechanism == "PLAIN"
    assert ours.log[0] == debug_auth_lines(ref.stderr)[0]
    assert ours.log[0] == 'AUTH LOGIN failed: unexpected state "3": LOGIN has only 2 steps '


# ---------------------------------------------------------------- non-ASCII credentials

def test_latin1_password_bytes_match_tcllib(tcllib):
    password = "p\u00e4ssw\u00f6rd"
    ref, ref_lines, ours, our_lines = both(lambda: [], mechanisms=["PLAIN"],
                                           credentials={"alice": password}, password=password)
    assert auth_lines(our_lines) == auth_lines(ref_lines)
    assert base64.b64decode(auth_lines(our_lines)[1]) == b"\0alice\0p\xe4ssw\xf6rd"


def test_password_beyond_latin1_is_utf8_not_tcllibs_low_bytes(tcllib):
    # docs/compat.md: tcllib keeps only the low byte of each character.
    password = "\u5bc6\u7801pw"
    ref, ref_lines, ours, our_lines = both(lambda: [], mechanisms=["PLAIN"],
                                           credentials={"alice": password}, password=password)
    tcllib_bytes = base64.b64decode(auth_lines(ref_lines)[1])
    our_bytes = base64.b64decode(auth_lines(our_lines)[1])
    assert tcllib_bytes == b"\0alice\0" + bytes(ord(c) & 0xFF for c in password)
    assert our_bytes == b"\0alice\0" + password.encode("utf-8")
    assert ours.outcome.mechanism == "PLAIN"          # the UTF-8 server accepts ours


# ---------------------------------------------------------------- what -debug may print

def test_secret_lines_are_marked():
    factory = lambda: [LoginAuth(USERS)]
    with RecordingServer(credentials=USERS, auth_handlers=factory(),
                         auth_mechanisms=["LOGIN"]) as server:
        login = run_ours(server, "alice", USERS["alice"])
    assert login.sent == [("AUTH LOGIN", False), (b64(b"alice"), False),
                          (b64(b"s3cret pass"), True)]
    for handlers, mech in [([], "PLAIN"), ([CramMd5Auth(USERS)], "CRAM-MD5"),
                           ([DigestMd5Auth(USERS)], "DIGEST-MD5")]:
        with RecordingServer(credentials=USERS, auth_handlers=handlers,
                             auth_mechanisms=[mech]) as server:
            run = run_ours(server, "alice", USERS["alice"])
        assert run.outcome.mechanism == mech
        assert run.sent[0] == (f"AUTH {mech}", False)
        assert run.sent[1][1] is True, mech            # the credential-bearing answer
        assert all(not secret for line, secret in run.sent if line == "")


# ---------------------------------------------------------------- SCRAM (tcllib has none)

def test_scram_is_preferred_and_works_on_the_wire():
    factory = lambda: [ScramSha256Auth(USERS), ScramSha1Auth(USERS), DigestMd5Auth(USERS),
                       CramMd5Auth(USERS)]
    with RecordingServer(credentials=USERS, auth_handlers=factory()) as server:
        run = run_ours(server, "alice", USERS["alice"])
        lines = auth_lines(server.client_lines[0])
    assert run.outcome.mechanism == "SCRAM-SHA-256"
    assert lines[0].startswith("AUTH SCRAM-SHA-256 ")       # client-first on the AUTH line
    first = base64.b64decode(lines[0].split()[2]).decode()
    assert first.startswith("n,,n=alice,r=")
    assert base64.b64decode(lines[1]).decode().startswith("c=biws,r=")
    assert lines[2] == ""                                   # after the verified v=
    assert [s for _, s in run.sent] == [False, True, False]


@pytest.mark.parametrize("handler", [ScramSha256Auth, ScramSha1Auth])
def test_scram_wrong_password_falls_back(handler):
    factory = lambda: [handler(WRONG), LoginAuth(USERS)]
    with RecordingServer(credentials=USERS, auth_handlers=factory()) as server:
        run = run_ours(server, "alice", USERS["alice"])
    assert [(a.mechanism, a.code) for a in run.outcome.attempts] == \
        [(handler.mechanism, 535), ("LOGIN", 235)]


class ForgedScram(ScramSha256Auth):
    """A server that does not know the password: its v= is wrong."""

    async def _challenge(self, server, event, data):
        if data.startswith(b"v="):
            data = b"v=" + base64.b64encode(b"\0" * 32)
        return await super()._challenge(server, event, data)


def test_scram_forged_server_signature_is_cancelled():
    with RecordingServer(credentials=USERS, auth_handlers=[ForgedScram(USERS)],
                         auth_mechanisms=["SCRAM-SHA-256"]) as server:
        run = run_ours(server, "alice", USERS["alice"])
        lines = auth_lines(server.client_lines[0])
    assert not run.outcome.authenticated
    assert lines[-1] == "*"                       # RFC 4954 cancel
    assert run.replies[-1][0] == 501
    assert run.outcome.attempts[0].code is None
    assert "SCRAM-SHA-256" in run.log[0]


class EndlessPlain(PlainAuth):
    """Keeps challenging: tcllib's PLAIN would answer for ever."""

    async def auth_PLAIN(self, server, args):
        event = self._event("PLAIN")
        for _ in range(40):
            if await self._challenge(server, event, b"") is None:
                return AuthResult(success=False, handled=True)
        return self._done(event, None, False)


def test_endless_challenges_are_cut_off():
    # docs/compat.md: at most 32 answers per mechanism.
    handler = EndlessPlain(USERS)
    with RecordingServer(credentials=USERS, auth_handlers=[handler],
                         auth_mechanisms=["PLAIN"]) as server:
        run = run_ours(server, "alice", USERS["alice"])
    answers = [line for line, _ in run.sent if not line.startswith("AUTH")]
    assert len(answers) == 33 and answers[-1] == "*"        # 32 answers, then cancelled
    assert run.outcome.attempts[0].code is None
    assert run.log == ["AUTH PLAIN failed: more than 32 challenges "]


class AnonymousAuth(PlainAuth):
    """ANONYMOUS (RFC 4505): any trace is accepted."""

    async def auth_ANONYMOUS(self, server, args):
        event = self._event("ANONYMOUS")
        trace = await self._initial(server, event, args)
        if trace is None:
            return AuthResult(success=False, handled=True)
        return self._done(event, trace.decode("latin-1"), True)


def test_anonymous_is_tcllibs_last_resort(tcllib):
    factory = lambda: [AnonymousAuth(WRONG), PlainAuth(WRONG)]
    ref, ref_lines, ours, our_lines = both(factory, mechanisms=["ANONYMOUS", "PLAIN"])
    assert auth_lines(ref_lines) == ["AUTH PLAIN", b64(b"\0alice\0s3cret pass"),
                                     "AUTH ANONYMOUS", b64(b"alice@")]
    assert auth_lines(our_lines) == auth_lines(ref_lines)
    assert ours.outcome.mechanism == "ANONYMOUS"
    assert ours.log == debug_auth_lines(ref.stderr)


def test_password_saslprep_refuses_skips_scram():
    # RFC 4013 forbids control characters: SCRAM is skipped (nothing sent
    # for it), the next mechanism takes the password as it is.
    password = "pass\x07word"
    users = {"alice": password}
    with RecordingServer(credentials=users, auth_handlers=[ScramSha256Auth({"alice": "x"}),
                                                           PlainAuth(users)],
                         auth_mechanisms=["SCRAM-SHA-256", "PLAIN"]) as server:
        run = run_ours(server, "alice", password)
        lines = auth_lines(server.client_lines[0])
    assert lines == ["AUTH PLAIN", b64(b"\0alice\0pass\x07word")]
    assert run.outcome.mechanism == "PLAIN"
    assert run.log[0].startswith("AUTH SCRAM-SHA-256 failed: SCRAM-SHA-256: control characters")


def test_digest_md5_escapes_quoted_strings_unlike_tcllib(tcllib):
    # docs/compat.md: tcllib writes username="EXAMPLE\alice"; the server
    # reads the quoted-string as EXAMPLEalice and refuses. We escape the
    # backslash; otherwise the lines are the same.
    users = {"EXAMPLE\\alice": "pw"}
    handlers: list[DigestMd5Auth] = []

    def factory():
        handlers.append(DigestMd5Auth(users))
        return [handlers[-1]]
    ref, ref_lines, ours, our_lines = both(factory, mechanisms=["DIGEST-MD5"], credentials=users,
                                           username="EXAMPLE\\alice", password="pw")
    ref_answer = base64.b64decode(auth_lines(ref_lines)[1])
    our_answer = base64.b64decode(auth_lines(our_lines)[1])
    assert ref_answer.startswith(b'username="EXAMPLE\\alice",')
    assert our_answer.startswith(b'username="EXAMPLE\\\\alice",')
    assert _normalize_digest(auth_lines(our_lines)[1]).replace(b"\\\\", b"\\") == \
        _normalize_digest(auth_lines(ref_lines)[1])
    assert [e.success for h in handlers for e in h.log] == [False, True]
    assert ours.outcome.mechanism == "DIGEST-MD5"


class RawCram(CramMd5Auth):
    """A CRAM-MD5 server that sends its challenge without base64."""

    def __init__(self, credentials, text: bytes):
        super().__init__(credentials)
        self.text = text

    async def auth_CRAM__MD5(self, server, args):
        event = self._event("CRAM-MD5")
        event.challenges.append(self.text)
        answer = await server.challenge_auth(self.text, encode_to_b64=False)
        from aiosmtpd.smtp import MISSING
        if answer is MISSING:
            return AuthResult(success=False, handled=True)
        event.responses.append(answer)
        return self._done(event, "alice", False)


@pytest.mark.parametrize("text, key", [
    (b"<1234@hostx>", b"<1234@hostx>"),             # not base64 for tcllib: the text itself
    (b"<12345@h>", base64.b64decode("12345h==")),   # "base64" once the rest is dropped
])
def test_non_base64_challenge_read_like_tcllib(tcllib, text, key):
    ref, ref_lines, ours, our_lines = both(lambda: [RawCram(USERS, text)],
                                           mechanisms=["CRAM-MD5"])
    assert auth_lines(our_lines)[:2] == auth_lines(ref_lines)[:2] == [
        "AUTH CRAM-MD5", b64(cram_md5_response("alice", "s3cret pass", key))]


class GarbageScram(ScramSha256Auth):
    """Answers the client-first message with nonsense."""

    async def _challenge(self, server, event, data):
        if data.startswith(b"r="):
            data = b"this is not scram"
        return await super()._challenge(server, event, data)


def test_garbage_scram_server_is_cancelled_then_fallback():
    with RecordingServer(credentials=USERS, auth_handlers=[GarbageScram(USERS), LoginAuth(USERS)],
                         auth_mechanisms=["SCRAM-SHA-256", "LOGIN"]) as server:
        run = run_ours(server, "alice", USERS["alice"])
        lines = auth_lines(server.client_lines[0])
    assert lines[0].startswith("AUTH SCRAM-SHA-256 ") and lines[1] == "*"
    assert lines[2:] == ["AUTH LOGIN", b64(b"alice"), b64(b"s3cret pass")]
    assert [(a.mechanism, a.code) for a in run.outcome.attempts] == \
        [("SCRAM-SHA-256", None), ("LOGIN", 235)]
