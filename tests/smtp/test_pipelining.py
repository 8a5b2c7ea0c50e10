"""PIPELINING (RFC 2920): when the server offers it, MAIL, the RCPTs and
DATA go out in one write; the script still sees what tcllib (which never
pipelines) shows against the same server: result, return code 7 texts,
-debug lines in the same order, delivered bytes."""
from __future__ import annotations

import pytest

from tclsmtp.server import RecordingServer

from conftest import assert_same, both
from scripted import ScriptedServer

pytestmark = pytest.mark.usefixtures("tcllib")

SCRIPT = """package require smtp
package require mime
set t [mime::initialize -canonical text/plain -string "hello\\n.dot line\\n"]
mime::setheader $t Subject "pipelined"
set code [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {port} -debug 1 {options}}} r]
puts "code=$code"
puts "result=$r"
"""


@pytest.fixture(scope="module")
def pipelining_server():
    with RecordingServer(pipelining=True,
                         refuse={"bad@example.com": "550 5.1.1 no such user",
                                 "worse@example.com": "553 5.7.1 not here"},
                         refuse_senders={"spammer@example.com": "553 5.7.1 sender refused"}) as s:
        yield s


def _mail_writes(connection) -> list[bytes]:
    """What arrived together with each MAIL command of a connection."""
    writes = [chunk for who, chunk in connection.transcript
              if who == "C" and b"MAIL FROM:" in chunk]
    assert writes
    return writes


# (options, the commands tclsmtp sends that tcllib does not: the server
# refuses them, as RFC 2920 section 3.1 says, because MAIL or every RCPT was
# refused; tclsmtp then goes on as tcllib does, with the RSET)
CASES = {
    "accepted": ("-originator me@example.com -header {To a@example.com}", []),
    "several accepted": ("-header {To {a@example.com, b@example.com}} -header {Cc c@example.com}",
                         []),
    "one refused of several": ("-header {To {a@example.com, bad@example.com}}", []),
    "one refused, atleastone": ("-atleastone 1 -header {To {a@example.com, bad@example.com}}",
                                []),
    "the only recipient refused": ("-header {To bad@example.com}", ["DATA"]),
    "all refused, atleastone": ("-atleastone 1 -header {To {bad@example.com, worse@example.com}}",
                                ["DATA"]),
    "sender refused": ("-originator spammer@example.com -header {To a@example.com}",
                       ["RCPT TO:<a@example.com>", "DATA"]),
    "with a Bcc copy": ("-header {To a@example.com} -header {Bcc {b@example.com, bad@example.com}}",
                        []),
}


@pytest.mark.parametrize("case", CASES)
def test_what_the_script_sees_is_tcllibs(pipelining_server, case):
    options, extra = CASES[case]
    first = len(pipelining_server.connections)
    ref, ours = both(pipelining_server, SCRIPT.format(port=pipelining_server.port,
                                                      options=options))
    assert "--> MAIL FROM:" in ref.run.stderr          # -debug lines were compared
    assert_same(ref, ours, skip=("lines",) if extra else ())
    if extra:
        # The conversation is tcllib's plus those refused commands, before the RSET.
        [theirs], [mine] = ref.lines, ours.lines
        at = theirs.index("RSET")
        assert mine == theirs[:at] + extra + theirs[at:]
    # tcllib's connection: MAIL alone in its write; ours: with the RCPTs.
    theirs_conn, ours_conn = pipelining_server.connections[first:first + 2]
    assert all(b"RCPT" not in c for c in _mail_writes(theirs_conn))
    assert all(b"RCPT TO:" in c for c in _mail_writes(ours_conn))
    if case == "sender refused":
        assert ref.run.stdout.startswith("code=7\n")


def test_refused_at_the_final_dot():
    with RecordingServer(pipelining=True, data_reply="554 5.7.1 looks like spam") as server:
        ref, ours = both(server, SCRIPT.format(port=server.port,
                                               options="-header {To a@example.com}"))
    assert ref.run.stdout.startswith("code=7\n")
    assert_same(ref, ours)


def _refuses_data(peer) -> None:
    """Offers PIPELINING and refuses the DATA command itself (aiosmtpd only
    refuses it when no RCPT was accepted). Notes whether the RCPT and DATA
    had already arrived with MAIL."""
    peer.say("220 scripted ESMTP")
    peer.pipelined = None
    while (line := peer.hear(10)) is not None:
        verb = line.split(" ", 1)[0].upper()
        if verb == "EHLO":
            peer.say("250-scripted", "250-PIPELINING", "250 8BITMIME")
        elif verb == "MAIL":
            peer.pipelined = b"RCPT TO:" in peer.buffer and b"DATA\r\n" in peer.buffer
            peer.say("250 sender ok")
        elif verb == "DATA":
            peer.say("554 5.3.2 not accepting messages now")
        elif verb == "QUIT":
            peer.say("221 bye")
            return
        else:
            peer.say("250 ok")


def test_refused_at_the_data_command():
    with ScriptedServer(_refuses_data) as server:
        ref, ours = both(server, SCRIPT.format(port=server.port,
                                               options="-header {To a@example.com}"))
        assert [p.pipelined for p in server.peers] == [False, True]
    assert ref.run.stdout.startswith("code=7\n")
    assert_same(ref, ours)


def test_without_the_extension_one_command_per_write(server):
    """A server that does not offer PIPELINING gets today's conversation."""
    first = len(server.connections)
    ref, ours = both(server, SCRIPT.format(
        port=server.port, options="-header {To {a@example.com, b@example.com}}"))
    assert_same(ref, ours)
    for connection in server.connections[first:]:
        for chunk in _mail_writes(connection):
            assert chunk.count(b"\r\n") == 1, chunk
