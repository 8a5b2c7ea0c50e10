"""AUTH through a real Tcl interpreter: the same script under tclsh+tcllib
and under tclsmtp against the same kind of recording server; and the
OAuth settings reaching smtp::sendmessage from Python and the environment."""
from __future__ import annotations

import base64
import re

import pytest

from reference import run_tclsh, run_tclsmtp
from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import CramMd5Auth, DigestMd5Auth, LoginAuth, PlainAuth, XOAuth2Auth
from tclsmtp.smtp.sasl import ENV_MECHANISMS, configure_auth, xoauth2_initial

from test_auth_wire import _normalize_digest, auth_lines, debug_auth_lines, tcl_quote

USERS = {"alice": "s3cret pass"}
WRONG = {"alice": "not it"}


def script(port: int, username: str, password: str) -> str:
    return f"""
package require mime
package require smtp
set t [mime::initialize -canonical text/plain -string "hello"]
set rc [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {port} \\
    -username {tcl_quote(username)} -password {tcl_quote(password)} -debug 1 \\
    -header {{From alice@example.com}} -header {{To bob@example.com}}}} result]
puts "rc=$rc result=$result"
"""


def normalize(lines: list[str]) -> list[str]:
    """AUTH lines with the per-connection values (nonces, digests) masked."""
    out = []
    for line in lines:
        if line.startswith("AUTH") or line == "":
            out.append(line)
            continue
        raw = base64.b64decode(line)
        if raw.startswith(b"username="):
            out.append(_normalize_digest(line).decode())
        elif re.fullmatch(rb"\S+ [0-9a-f]{32}", raw):
            out.append(raw.split()[0].decode() + " <cram-md5 digest>")
        else:
            out.append(line)
    return out


def run_both(factory, username="alice", password=USERS["alice"], mechanisms=None):
    results = []
    for runner in (run_tclsh, run_tclsmtp):
        with RecordingServer(credentials=USERS, auth_handlers=factory(),
                             auth_mechanisms=mechanisms) as server:
            run = runner(script(server.port, username, password))
            assert server.wait_closed()
            results.append((run, server.client_lines[0],
                            [(d.mail_from, d.rcpt_tos) for d in server.deliveries]))
    return results


CASES = {
    "PLAIN": (lambda: [], ["PLAIN"]),
    "LOGIN": (lambda: [], ["LOGIN"]),
    "CRAM-MD5": (lambda: [CramMd5Auth(USERS)], None),
    "DIGEST-MD5": (lambda: [DigestMd5Auth(USERS), CramMd5Auth(USERS)], None),
    "fallback": (lambda: [DigestMd5Auth(WRONG), CramMd5Auth(WRONG), LoginAuth(USERS)], None),
    "all refused": (lambda: [DigestMd5Auth(WRONG), CramMd5Auth(WRONG), LoginAuth(WRONG),
                             PlainAuth(WRONG)], None),
}


@pytest.mark.parametrize("case", list(CASES))
def test_sendmessage_auth_same_as_tcllib(tcllib, case):
    factory, mechanisms = CASES[case]
    (ref, ref_lines, ref_env), (ours, our_lines, our_env) = run_both(factory,
                                                                   mechanisms=mechanisms)
    assert ours.returncode == ref.returncode == 0
    assert ours.stdout == ref.stdout == "rc=0 result=\n"
    assert normalize(auth_lines(our_lines)) == normalize(auth_lines(ref_lines))
    assert auth_lines(ref_lines)                       # there was an AUTH conversation
    assert our_env == ref_env == [("alice@example.com", ["bob@example.com"])]
    assert debug_auth_lines(ours.stderr) == debug_auth_lines(ref.stderr)


def test_debug_output_hides_what_tcllib_prints(tcllib):
    (ref, ref_lines, _), (ours, our_lines, _) = run_both(lambda: [], mechanisms=["PLAIN"])
    secret_line = base64.b64encode(b"\0alice\0s3cret pass").decode()
    assert secret_line in ref.stderr                   # tcllib shows the password
    assert secret_line in our_lines                    # we send the same line ...
    assert secret_line not in ours.stderr              # ... but do not print it
    assert "AUTH PLAIN" in ours.stderr


def test_oauth_from_the_environment_for_unchanged_scripts():
    # An unchanged tcllib script whose -password holds an access token.
    with RecordingServer(credentials=USERS, auth_handlers=[XOAuth2Auth({"alice": "tok-1"})]) as server:
        run = run_tclsmtp(script(server.port, "alice", "tok-1"),
                          env={ENV_MECHANISMS: "XOAUTH2"})
        assert server.wait_closed()
        lines = auth_lines(server.client_lines[0])
    assert run.stdout == "rc=0 result=\n", run.stderr
    assert lines == ["AUTH XOAUTH2 " + base64.b64encode(xoauth2_initial("alice", "tok-1")).decode()]
    assert base64.b64encode(xoauth2_initial("alice", "tok-1")).decode() not in run.stderr


def test_token_provider_registered_from_python(interp):
    calls = []

    def provider() -> str:
        calls.append(1)
        return "fresh-token"
    configure_auth(interp, mechanisms=["XOAUTH2"], token_provider=provider)
    handler = XOAuth2Auth({"alice": "fresh-token"})
    with RecordingServer(credentials=USERS, auth_handlers=[handler]) as server:
        out = interp.eval(f"""
package require mime
package require smtp
set t [mime::initialize -canonical text/plain -string "hello"]
smtp::sendmessage $t -servers 127.0.0.1 -ports {server.port} \\
    -username alice -password "not used" \\
    -header {{From alice@example.com}} -header {{To bob@example.com}}
""")
        assert server.wait_closed()
        lines = auth_lines(server.client_lines[0])
        delivered = len(server.deliveries)
    assert out == ""
    assert calls == [1]
    assert handler.log[0].success and delivered == 1
    assert lines == ["AUTH XOAUTH2 " + base64.b64encode(
        xoauth2_initial("alice", "fresh-token")).decode()]
    assert not any("not used" in base64.b64decode(l.split()[-1]).decode("latin-1")
                   for l in lines)


# ---------------------------------------------------------------- documented differences

from tclsmtp.server_auth import ScramSha256Auth, _Recorder  # noqa: E402


class RefusingOtp(_Recorder):
    """Offers OTP (RFC 2444), reads the client's first answer, refuses."""

    async def auth_OTP(self, server, args):
        event = self._event("OTP")
        if await self._challenge(server, event, b"") is None:
            return self._done(event, None, False)
        return self._done(event, None, False)


def test_scram_replaces_what_tcllib_would_use(tcllib):
    # docs/compat.md: SCRAM first. tcllib (no SCRAM) uses CRAM-MD5 here.
    (ref, ref_lines, ref_env), (ours, our_lines, our_env) = run_both(
        lambda: [ScramSha256Auth(USERS), CramMd5Auth(USERS)],
        mechanisms=["SCRAM-SHA-256", "CRAM-MD5"])
    assert [l.split()[:2] for l in auth_lines(ref_lines) if l.startswith("AUTH")] == \
        [["AUTH", "CRAM-MD5"]]
    assert [l.split()[:2] for l in auth_lines(our_lines) if l.startswith("AUTH")] == \
        [["AUTH", "SCRAM-SHA-256"]]
    assert ours.stdout == ref.stdout and our_env == ref_env
    # Everything after the AUTH part is the same conversation.
    rest = lambda lines: lines[lines.index(auth_lines(lines)[-1]) + 1:][:3]
    assert rest(our_lines) == rest(ref_lines)


def test_otp_is_not_tried(tcllib):
    # docs/compat.md: tcllib tries OTP (after NTLM, before DIGEST-MD5) when
    # offered; we skip it. Otherwise the conversations are the same.
    (ref, ref_lines, _), (ours, our_lines, _) = run_both(
        lambda: [RefusingOtp(), LoginAuth(USERS)], mechanisms=["OTP", "LOGIN"])
    ref_auth = auth_lines(ref_lines)
    assert ref_auth[:2] == ["AUTH OTP", base64.b64encode(b"\0alice").decode()]
    assert auth_lines(our_lines) == ref_auth[2:]
    assert auth_lines(our_lines)[0] == "AUTH LOGIN"
    assert ours.stdout == ref.stdout == "rc=0 result=\n"


def test_no_mechanism_left_then_mail_refused_like_tcllib(tcllib):
    # The usual end when the password is wrong: the server refuses MAIL FROM
    # from an unauthenticated client, and the script sees that refusal.
    results = []
    for runner in (run_tclsh, run_tclsmtp):
        with RecordingServer(credentials=USERS, auth_handlers=[CramMd5Auth(WRONG), LoginAuth(WRONG)],
                             refuse_senders={"alice@example.com":
                                             "530 5.7.0 Authentication required"}) as server:
            run = runner(script(server.port, "alice", USERS["alice"]))
            assert server.wait_closed()
            results.append((run, server.client_lines[0]))
    (ref, ref_lines), (ours, our_lines) = results
    assert ref.stdout == "rc=7 result=diagnostic {5.7.0 Authentication required} args {} code 530\n"
    assert ours.stdout == ref.stdout
    assert normalize(auth_lines(our_lines)) == normalize(auth_lines(ref_lines))
    assert debug_auth_lines(ours.stderr) == debug_auth_lines(ref.stderr)


def test_python_api_with_a_token_provider():
    from email.message import EmailMessage

    import tclsmtp
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = "alice@example.com", "bob@example.com", "hi"
    msg.set_content("hello\n")
    handler = XOAuth2Auth({"alice": "tok-2"})
    with RecordingServer(credentials=USERS, auth_handlers=[handler]) as server:
        result = tclsmtp.sendmessage(msg, servers="127.0.0.1", ports=server.port,
                                      username="alice", password="s3cret pass",
                                      auth_mechanisms=["XOAUTH2"], token_provider=lambda: "tok-2")
        assert server.wait_closed()
        lines = auth_lines(server.client_lines[0])
        delivered = len(server.deliveries)
    assert result.refused == {} and result.recipients == ["bob@example.com"] and delivered == 1
    assert lines == ["AUTH XOAUTH2 " + base64.b64encode(xoauth2_initial("alice", "tok-2")).decode()]


class DropsOnCram(_Recorder):
    """Hangs up when the client says AUTH CRAM-MD5."""

    async def auth_CRAM__MD5(self, server, args):
        server.transport.close()
        from aiosmtpd.smtp import AuthResult
        return AuthResult(success=False, handled=True)


def test_connection_lost_during_auth_like_tcllib(tcllib):
    # tcllib goes on through the remaining mechanisms (reads fail, then a
    # write fails) and finally fails on MAIL FROM with return code 7.
    results = []
    for runner in (run_tclsh, run_tclsmtp):
        with RecordingServer(credentials=USERS, auth_handlers=[DropsOnCram(), LoginAuth(USERS)]) as server:
            run = runner(script(server.port, "alice", USERS["alice"]))
            assert server.wait_closed()
            results.append((run, server.client_lines[0]))
    (ref, ref_lines), (ours, our_lines) = results
    assert our_lines == ref_lines == ["EHLO vm", "AUTH CRAM-MD5"]
    sock = lambda text: re.sub(r'"sock[0-9a-f]+"', '"sockN"', text)
    ref_debug, our_debug = debug_auth_lines(ref.stderr), debug_auth_lines(ours.stderr)
    # Lost on reading: tcllib's hear() form.
    assert our_debug[:2] == ref_debug[:2] == [
        "AUTH CRAM-MD5 failed: diagnostic {premature end-of-file from server} args {} code 400 ",
        "AUTH LOGIN failed: diagnostic {premature end-of-file from server} args {} code 400 "]
    # Lost on writing: tcllib's talk() form, code first.
    assert [sock(l).split(":")[0] for l in our_debug[2:]] == ["AUTH PLAIN failed"]
    assert sock(our_debug[2]).startswith('AUTH PLAIN failed: code 400 diagnostic {error ')
    assert sock(ref_debug[2]).startswith('AUTH PLAIN failed: code 400 diagnostic {error ')
    assert ours.stdout.startswith("rc=7 result=code 400 diagnostic {error ")
    assert ref.stdout.startswith("rc=7 result=code 400 diagnostic {error ")


def test_a_failing_token_provider_is_a_tcl_error(interp):
    def provider() -> str:
        raise RuntimeError("refresh token expired")
    configure_auth(interp, mechanisms=["XOAUTH2"], token_provider=provider)
    with RecordingServer(credentials=USERS, auth_handlers=[XOAuth2Auth({"alice": "t"})]) as server:
        out = interp.eval(f"""
package require mime
package require smtp
set t [mime::initialize -canonical text/plain -string "hello"]
list [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {server.port} \\
    -username alice -password x \\
    -header {{From alice@example.com}} -header {{To bob@example.com}}}} msg opts] \\
    $msg [dict get $opts -errorcode]
""")
        assert server.wait_closed()
        delivered = len(server.deliveries)
        lines = server.client_lines[0]
    assert interp.tk.splitlist(out) == (
        "1", "OAuth token provider failed: RuntimeError: refresh token expired",
        "TCLSMTP AUTH TOKEN")
    assert delivered == 0
    assert not any(l.startswith(("AUTH", "MAIL")) for l in lines)


def test_script_registered_sasl_mechanism_is_not_used(tcllib):
    # docs/compat.md: tcllib's smtp uses a mechanism the script adds to
    # tcllib's SASL package; ours does not (and needs the setting instead).
    register = r"""
package require SASL
proc ::xoauth2 {context challenge args} {
    upvar #0 $context ctx
    set user [eval $ctx(callback) [list $context username]]
    set tok [eval $ctx(callback) [list $context password]]
    set ctx(response) "user=$user\001auth=Bearer $tok\001\001"
    return 0
}
SASL::register XOAUTH2 60 ::xoauth2
"""
    tokens = {"alice": "tok-3"}
    runs = []
    for runner, env in ((run_tclsh, None), (run_tclsmtp, None),
                        (run_tclsmtp, {ENV_MECHANISMS: "XOAUTH2"})):
        with RecordingServer(credentials=USERS, auth_handlers=[XOAuth2Auth(tokens)],
                             auth_mechanisms=["XOAUTH2", "LOGIN"]) as server:
            run = runner(register + script(server.port, "alice", "tok-3"), env=env)
            assert server.wait_closed()
            runs.append((run, auth_lines(server.client_lines[0])))
    token_b64 = base64.b64encode(xoauth2_initial("alice", "tok-3")).decode()
    assert runs[0][1] == ["AUTH XOAUTH2", token_b64]                     # tcllib: the script's
    assert runs[1][1] == ["AUTH LOGIN", base64.b64encode(b"alice").decode(),
                          base64.b64encode(b"tok-3").decode()]           # ours: its own list
    assert runs[2][1] == [f"AUTH XOAUTH2 {token_b64}"]                   # ours, asked for
