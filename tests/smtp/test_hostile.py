"""Hostile servers (real sockets on 127.0.0.1): forged replies before the
TLS handshake, replies without end, bad host names, protocol version gaps,
a SASL mechanism that fails on the client's side, envelope injection."""
from __future__ import annotations

import json
import os
import ssl
import subprocess
import sys
import textwrap
from email.message import EmailMessage

import pytest

import tclsmtp
from tclsmtp.errors import ScriptError
from tclsmtp.server import RecordingServer

from reference import run_tclsh, run_tclsmtp
from scripted import ScriptedServer, converse


def _message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "hostile"
    msg.set_content("body\n")
    return msg


def _send(port: int, **options):
    options.setdefault("headers", [("To", "a@example.com")])
    options.setdefault("originator", "me@example.com")
    return tclsmtp.sendmessage_tcl(_message(), servers=["127.0.0.1"], ports=[port], **options)


# ---------------------------------------------------------------- STARTTLS injection

def _injecting(server_context: ssl.SSLContext, record: list):
    """A man in the middle's STARTTLS: the 220 comes with forged plaintext
    replies for everything that follows; behind it the real server refuses
    the recipient and the data."""
    def serve(peer):
        peer.say("220 real server")
        while (line := peer.hear()) is not None:
            if line.startswith("EHLO"):
                peer.say("250-real", "250 STARTTLS")
            elif line == "STARTTLS":
                peer.say("220 go ahead", "250-forged", "250 AUTH PLAIN", "250 forged mail",
                         "250 forged rcpt", "354 forged data", "250 forged delivery",
                         "221 forged bye")
                break
            else:
                peer.say("250 ok")
        peer.sock = server_context.wrap_socket(peer.sock, server_side=True)
        peer.buffer = b""
        while (line := peer.hear()) is not None:
            if line.startswith("EHLO"):
                peer.say("250 real")
            elif line.startswith("RCPT"):
                peer.say("550 no such user")
            elif line == "DATA":
                peer.say("554 refused")
            elif line == "QUIT":
                peer.say("221 bye")
                return
            else:
                if line.startswith("MAIL"):
                    record.append(line)
                peer.say("250 ok")
    return serve


@pytest.mark.parametrize("strict", [False, True], ids=["default", "strict"])
def test_starttls_response_injection_is_refused(certs, strict):
    """Nothing the server sent in clear after its 220 is read as a reply of
    the encrypted session (Postfix's CVE-2011-0411), also with a verified
    certificate in strict mode."""
    mails: list = []
    with ScriptedServer(_injecting(certs.server_context, mails)) as s:
        tls = {"cafile": str(certs.cafile), "require": 1} if strict else None
        with pytest.raises(ScriptError) as failure:
            _send(s.port, strict_tls=strict, tls=tls, max_wait=10)
    assert "127.0.0.1 sent data in clear before the TLS handshake" in failure.value.message
    assert failure.value.errorcode == ("TCLSMTP", "TLS", "HANDSHAKE")
    assert mails == []


def test_injection_through_smtp_sendmessage(certs, interp):
    """The Tcl command: an error, not the forged 0 (before the fix, the send
    returned success while the real server refused everything)."""
    mails: list = []
    with ScriptedServer(_injecting(certs.server_context, mails)) as s:
        interp.eval(f"""package require smtp; package require mime
            set t [mime::initialize -canonical text/plain -string hi]
            set code [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {s.port} \
                -header {{To a@example.com}} -originator me@example.com}} r]""")
    assert interp.eval("set code") == "1"
    assert "sent data in clear before the TLS handshake" in interp.eval("set r")
    assert mails == []


def test_implicit_tls_refuses_plaintext_first(certs):
    """-tlsimport: a peer that talks in clear at once never gets its text read
    as the greeting."""
    def serve(peer):
        peer.say("220 forged greeting", "250 forged")
        peer.hear(timeout=5)
    with ScriptedServer(serve) as s:
        with pytest.raises(ScriptError) as failure:
            _send(s.port, tlsimport=True, max_wait=10)
    assert "TLS handshake with 127.0.0.1 failed" in failure.value.message
    assert "forged greeting" not in failure.value.message


# ---------------------------------------------------------------- replies without end

_FLOOD_CHILD = textwrap.dedent("""
    import json, sys, time
    from email.message import EmailMessage
    import tclsmtp
    msg = EmailMessage(); msg["Subject"] = "x"; msg.set_content("x")
    started = time.monotonic()
    try:
        tclsmtp.sendmessage_tcl(msg, servers=["127.0.0.1"], ports=[int(sys.argv[1])],
                            headers=[("To", "a@example.com")], originator="me@example.com",
                            max_wait=30)
        error = None
    except tclsmtp.ScriptError as e:
        error = e.message
    # the peak RSS of this process image (VmHWM): ru_maxrss would also count
    # the parent's memory from before exec
    with open("/proc/self/status") as f:
        peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print(json.dumps({"error": error, "seconds": time.monotonic() - started,
                      "maxrss_kb": peak}))
""")


def _flooded(serve) -> dict:
    """Send from a child process (its peak RSS is its own) to ``serve``."""
    with ScriptedServer(serve) as s:
        child = subprocess.run([sys.executable, "-c", _FLOOD_CHILD, str(s.port)],
                               capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr
    return json.loads(child.stdout)


def _until_hangup(peer, chunk: bytes, total: int) -> None:
    sent = 0
    while sent < total:
        peer.sock.sendall(chunk)
        sent += len(chunk)


def test_endless_continuation_stops_at_the_line_limit():
    def serve(peer):
        peer.say("220 hello")
        peer.hear()
        _until_hangup(peer, b"250-more\r\n" * 10000, 1 << 30)
    result = _flooded(serve)
    assert result["error"].startswith("reply from 127.0.0.1 too long (more than 1000 lines)")
    assert result["seconds"] < 10
    assert result["maxrss_kb"] < 150_000


def test_reply_over_a_mebibyte_is_refused():
    """Fewer than 1000 lines, but each near the line limit."""
    def serve(peer):
        peer.say("220 hello")
        peer.hear()
        _until_hangup(peer, b"250-" + b"y" * 8000 + b"\r\n", 1 << 30)
    result = _flooded(serve)
    assert result["error"].startswith("reply from 127.0.0.1 too long (more than 1048576 bytes)")
    assert len(result["error"]) < 400


def test_a_100_megabyte_line_is_refused_early_and_briefly():
    """Before: read in quadratic time (12.5 s, 335 MB) and returned whole."""
    def serve(peer):
        peer.sock.sendall(b"220 " + b"z" * 9000)
        _until_hangup(peer, b"z" * (1 << 20), 100 << 20)
    result = _flooded(serve)
    assert result["error"].startswith("reply line from 127.0.0.1 too long (more than 8192 bytes)")
    assert len(result["error"]) < 400
    assert result["seconds"] < 10
    assert result["maxrss_kb"] < 150_000


def test_lines_at_the_limit_are_read():
    """A greeting line of exactly 8192 bytes is a line, not an error."""
    with ScriptedServer(lambda peer: converse(peer, "220 " + "x" * 8188, {})) as s:
        assert _send(s.port, max_wait=10) == []


# ---------------------------------------------------------------- bad host names, bad values

LONG_LABEL = "a" * 64 + ".example.com"


@pytest.mark.parametrize("name", [LONG_LABEL, "a..b", "\u00e4" * 64 + ".example.com"])
def test_failover_goes_past_a_name_idna_refuses(server, name):
    """tcllib tries the next server. (Python's IDNA codec refuses these
    names: an ASCII name goes to the resolver as bytes, which refuses it;
    a name beyond ASCII goes through the codec, which raises UnicodeError.)"""
    assert tclsmtp.sendmessage_tcl(_message(), servers=[name, "127.0.0.1"], ports=[25, server.port],
                               headers=[("To", "a@example.com")], originator="me@example.com",
                               max_wait=10) == []
    assert len(server.deliveries) == 1


BAD_INPUT = r"""package require smtp
package require mime
set t [mime::initialize -canonical text/plain -string hi]
foreach {what script} {
    servers {smtp::sendmessage $t -servers {%s} -ports 1 -header {To a@b.c}}
    ports {smtp::sendmessage $t -servers 127.0.0.1 -ports [string repeat 9 5000] -header {To a@b.c}}
    file {mime::initialize -file "a\0b"}
    canonical-file {mime::buildmessage [mime::initialize -canonical text/plain -file "a\0b"]}
} {
    puts "$what [catch $script r o] [dict get $o -errorcode] $r"
}
""" % LONG_LABEL


def test_bad_names_and_numbers_give_tcllibs_errors(tcllib):
    ref = run_tclsh(BAD_INPUT)
    ours = run_tclsmtp(BAD_INPUT)
    assert ours.stdout == ref.stdout
    assert "couldn't open socket" in ref.stdout and "filename is invalid" in ref.stdout


@pytest.mark.parametrize("value", ["nan", "abc", "0"])
def test_bad_max_wait_is_a_clear_error(server, value):
    run = run_tclsmtp(f"""package require smtp; package require mime
        set t [mime::initialize -canonical text/plain -string hi]
        set before [mime::getheader $t -names]
        puts [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {server.port} \
            -header {{To a@b.c}}}} r o]
        puts $r
        puts [expr {{$before eq [mime::getheader $t -names]}}]""",
                      env={"TCLSMTP_SMTP_MAX_WAIT": value})
    assert run.stdout == (f'1\nTCLSMTP_SMTP_MAX_WAIT must be a positive number of seconds, '
                          f'not "{value}"\n1\n')
    assert server.deliveries == []


# ---------------------------------------------------------------- TLS versions

def test_a_disabled_version_between_enabled_ones_is_not_used(certs):
    """tls::init -tls1 1 -tls1.2 0 against a TLS 1.2-only server: no
    handshake (before, the enabled versions became one range 1.0..1.3)."""
    import trustme
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    trustme.CA().issue_cert("127.0.0.1").configure_cert(ctx)
    with RecordingServer(tls_context=ctx) as s:
        assert _send(s.port, max_wait=10) == []          # 1.2 works by default
        with pytest.raises(ScriptError) as failure:
            _send(s.port, tls={"tls1": 1, "tls1.2": 0}, max_wait=10)
        assert "TLS handshake with 127.0.0.1 failed" in failure.value.message
        assert len(s.deliveries) == 1


# ---------------------------------------------------------------- SASL cancel

def test_a_mechanism_failing_on_the_client_side_is_cancelled():
    """DIGEST-MD5 with a charset the client cannot use: RFC 4954's "*" goes
    out, the server's 501 is read, and the next mechanism works."""
    import base64
    challenge = base64.b64encode(b'realm="x",nonce="n",qop="auth",charset=bogus,'
                                 b'algorithm=md5-sess').decode()

    def serve(peer):
        peer.say("220 hi")
        while (line := peer.hear()) is not None:
            if line.startswith("EHLO"):
                peer.say("250-hi", "250 AUTH DIGEST-MD5 PLAIN")
            elif line == "AUTH DIGEST-MD5":
                peer.say(f"334 {challenge}")
                answer = peer.hear()
                peer.say("501 cancelled" if answer == "*" else "535 not an answer")
            elif line.startswith("AUTH PLAIN"):
                peer.say("235 ok")
            elif line == "DATA":
                peer.say("354 go")
                peer.hear_data()
                peer.say("250 ok")
            elif line == "QUIT":
                peer.say("221 bye")
                return
            else:
                peer.say("250 ok")
    with ScriptedServer(serve) as s:
        assert _send(s.port, username="u", password="p", max_wait=10) == []
        lines = s.client_lines[0]
    assert lines[lines.index("AUTH DIGEST-MD5") + 1] == "*"
    assert any(line.startswith("AUTH PLAIN") for line in lines)


# ---------------------------------------------------------------- envelope injection

@pytest.mark.parametrize("option, address", [
    ("-recipients", '"a> NOTIFY=NEVER"@c.example'),
    ("-recipients", "d@[1.2.3.4> NOTIFY=NEVER]"),
    ("-originator", '"x> RET=FULL"@c.example'),
])
def test_envelope_addresses_cannot_carry_parameters(interp, server, option, address):
    interp.eval(f"""package require smtp; package require mime
        set t [mime::initialize -canonical text/plain -string hi]""")
    interp.setvar("address", address)
    code = interp.eval(f"""catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {server.port} \
        -header {{To ok@example.com}} -originator me@example.com {option} $address}} r o""")
    assert code == "1"
    assert interp.eval("set r").startswith(f'{option}: the address "')
    assert interp.eval("dict get $o -errorcode") == "TCLSMTP SMTP ADDRESS"
    assert server.client_lines == []


def test_quoted_blanks_stay_allowed(server):
    assert tclsmtp.sendmessage_tcl(_message(), servers=["127.0.0.1"], ports=[server.port],
                               headers=[("To", '"john doe"@example.com')],
                               originator="me@example.com") == []
    assert server.deliveries[0].rcpt_tos == ['"john doe"@example.com']
