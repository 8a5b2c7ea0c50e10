"""smtp::sendmessage against real servers, compared with tclsh+tcllib running
the same script against the same server: the conversation, the envelopes,
the delivered bytes, stdout, stderr (-debug) and the exit status."""
from __future__ import annotations

import pytest

from tclsmtp.server import RecordingServer

from conftest import assert_same, both
from scripted import ScriptedServer, converse, dead_port

pytestmark = pytest.mark.usefixtures("tcllib")

HEAD = """package require smtp
package require mime
proc show {code result} {
    puts "code=$code"
    puts "result=$result"
}
"""


def send(server_port: int, options: str, body: str = "hello\\nworld\\n.dot line\\nbare LF only\\n",
         extra: str = "") -> str:
    """A script that builds a message, sends it with ``options`` and prints
    the outcome and the token's headers afterwards."""
    return HEAD + f"""
set t [mime::initialize -canonical text/plain -string "{body}"]
mime::setheader $t Subject "A test"
{extra}
set code [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {server_port} {options}}} r]
show $code $r
"""


@pytest.fixture
def refusing():
    with RecordingServer(refuse={"bad@example.com": "550 5.1.1 no such user",
                                 "worse@example.com": "553 5.7.1 not here"}) as s:
        yield s


def test_plain_send(server):
    ref, ours = both(server, send(server.port, "-header {To a@example.com} -originator me@example.com"))
    assert ref.run.stdout.startswith("code=0\nresult=\n")
    assert_same(ref, ours)
    assert len(ours.messages) == 1


def test_debug_lines_as_tcllib_prints_them(server):
    script = send(server.port, "-header {To a@example.com} -originator me@example.com -debug 1")
    ref, ours = both(server, script)
    assert "--> MAIL FROM:<me@example.com> SIZE=" in ref.run.stderr
    assert "Trying 127.0.0.1..." in ours.run.stderr
    assert_same(ref, ours)


def test_size_is_the_length_of_the_message(server):
    ref, ours = both(server, send(server.port, "-header {To a@example.com}"))
    for rec in (ref, ours):
        # the delivered data ends with CRLF, as the built message does here
        assert rec.sizes == [str(len(rec.messages[0].encode("latin-1")))]


def test_default_originator_and_headers(server):
    """No -originator and no From: the user's name; From, Date, Message-ID
    added; no To header but -recipients: the empty Bcc: header."""
    ref, ours = both(server, send(server.port, "-recipients a@example.com"))
    assert "\r\nBcc: \r\n" in ref.messages[0]
    assert_same(ref, ours)


@pytest.mark.parametrize("options", [
    "-header {To a@example.com} -header {cc {b@example.com, c@example.com}} -header {From {Me <me@example.com>}}",
    "-header {To a@example.com} -header {Dcc d@example.com} -originator other@example.com",
    "-header {To a@example.com} -header {Sender s@example.com} -header {From x@example.com}",
    "-header {Resent-To r@example.com} -header {Resent-From f@example.com} -header {To a@example.com}",
    "-originator {} -header {To a@example.com}",
    "-header {To a@example.com} -header {To b@example.com} -header {Date {Mon, 1 Jan 2024 00:00:00 +0000}}",
    "-recipients {x@example.com, y@example.com} -header {To a@example.com} -client mybox.example",
    "-header {To a@example.com} -header {Bcc {}}",
    "-header {Resent-To r@example.com} -header {Resent-Bcc b@example.com} -header {Subject Fwd}",
    "-header {To {Group: a@example.com, b@example.com;}} -header {Reply-To x@example.com}",
    "-header {To a@example.com} -header {Message-ID <fixed@example.com>} -header {Sender s@example.com}",
])
def test_envelope_and_headers(server, options):
    ref, ours = both(server, send(server.port, options))
    assert ref.run.stdout.startswith("code=0")
    assert_same(ref, ours)


def test_bcc_gets_the_digest_copy_on_the_same_connection(server):
    options = "-header {To a@example.com} -header {Bcc {b1@example.com, b2@example.com}} -header {Subject S}"
    ref, ours = both(server, send(server.port, options))
    assert len(ref.lines) == 1 and len(ref.envelopes) == 2
    assert "multipart/digest" in ref.messages[1]
    assert_same(ref, ours)


@pytest.mark.parametrize("atleastone", ["0", "1"])
def test_refused_recipients(refusing, atleastone):
    options = ("-header {To {a@example.com, bad@example.com}} -header {cc worse@example.com} "
               f"-atleastone {atleastone}")
    ref, ours = both(refusing, send(refusing.port, options))
    assert "bad@example.com 550" in ref.run.stdout
    assert_same(ref, ours)
    assert len(ours.envelopes) == int(atleastone)


def test_all_recipients_refused_with_bcc(refusing):
    options = "-header {To bad@example.com} -header {Bcc {worse@example.com b@example.com}}"
    ref, ours = both(refusing, send(refusing.port, options))
    assert_same(ref, ours)


def test_sender_refused_is_return_code_7():
    with RecordingServer(refuse_senders={"me@example.com": "553 5.7.1 sender refused"}) as s:
        ref, ours = both(s, send(s.port, "-header {To a@example.com} -originator me@example.com"))
        assert "code=7\nresult=diagnostic {5.7.1 sender refused} args {} code 553" in ref.run.stdout
        assert_same(ref, ours)


def test_data_refused_is_return_code_7():
    with RecordingServer(data_reply="554 5.7.1 looks like spam") as s:
        ref, ours = both(s, send(s.port, "-header {To a@example.com} -debug 1"))
        assert "code=7" in ref.run.stdout
        assert_same(ref, ours)


def test_uncaught_refusal_exits_like_tclsh():
    with RecordingServer(data_reply="554 no") as s:
        script = HEAD + f"""
set t [mime::initialize -canonical text/plain -string hi]
smtp::sendmessage $t -servers 127.0.0.1 -ports {s.port} -header {{To a@example.com}}
puts notreached
"""
        ref, ours = both(s, script)
        assert ref.run.returncode == 1
        assert_same(ref, ours)


def test_failover_from_a_dead_port(server):
    script = HEAD + f"""
set t [mime::initialize -canonical text/plain -string hi]
set code [catch {{smtp::sendmessage $t -servers {{127.0.0.1 127.0.0.1}} \\
    -ports {{{dead_port()} {server.port}}} -header {{To a@example.com}} -debug 1}} r]
show $code $r
"""
    ref, ours = both(server, script)
    assert "socket is not connected" in ref.run.stderr
    assert_same(ref, ours)


def test_failover_from_a_421_greeting(server):
    with RecordingServer(greeting="421 4.3.2 busy, try later") as busy:
        script = HEAD + f"""
set t [mime::initialize -canonical text/plain -string hi]
set code [catch {{smtp::sendmessage $t -servers {{127.0.0.1 127.0.0.1}} \\
    -ports {{{busy.port} {server.port}}} -header {{To a@example.com}} -debug 1}} r]
show $code $r
"""
        ref, ours = both(server, script)
        assert "<-- 421 4.3.2 busy, try later" in ref.run.stderr
        assert_same(ref, ours)


def test_every_server_down():
    with RecordingServer(greeting="421 busy") as busy:
        script = HEAD + f"""
set t [mime::initialize -canonical text/plain -string hi]
foreach ports [list {{{dead_port()}}} {{{busy.port}}} {{{dead_port()} {busy.port}}} {{{busy.port} {dead_port()}}}] {{
    set code [catch {{smtp::sendmessage $t -servers {{127.0.0.1 127.0.0.1}} -ports $ports \\
        -header {{To a@example.com}}}} r opts]
    puts "$code <$r> [dict get $opts -errorcode]"
}}
set code [catch {{smtp::sendmessage $t -servers nosuchhost.invalid -header {{To a@example.com}}}} r opts]
puts "$code <$r> [dict get $opts -errorcode]"
"""
        ref, ours = both(busy, script)
        assert "socket is not connected" in ref.run.stdout
        assert_same(ref, ours)


def _helo_only(peer):
    converse(peer, "220 old server", {"EHLO": ("500 what?",)})


def _extensions(peer):
    """Offers ONEX and XQUE (tcllib sends ONEX and QUED for them)."""
    converse(peer, "220 ext server", {"EHLO": ("250-ext", "250-ONEX", "250-XQUE", "250 SIZE 100000")})


@pytest.mark.parametrize("serve,options", [
    (_helo_only, "-header {To a@example.com} -debug 1"),
    (_extensions, "-header {To a@example.com} -queue 1 -debug 1"),
    (_extensions, "-header {To a@example.com} -header {Bcc b@example.com} -queue yes -debug 1"),
])
def test_scripted_servers(serve, options):
    with ScriptedServer(serve) as s:
        ref, ours = both(s, send(s.port, options))
        assert ref.run.stdout.startswith("code=0")
        assert_same(ref, ours)


def test_option_errors_word_for_word(server):
    script = HEAD + r"""
set t [mime::initialize -canonical text/plain -string x]
set cases {
    {-recipients}
    {-bogus 1}
    {-header {To}}
    {-header {a b c}}
    {-header "\{a"}
    {-header {Content-Type text/html} -recipients a@example.com}
    {-header {content-md5 x} -recipients a@example.com}
    {-originator "a@example.com, b@example.com" -recipients c@example.com}
    {-originator "not an address <" -recipients c@example.com}
    {-recipients "ok@example.com, <broken"}
    {-header {From "x@example.com, y@example.com"} -recipients c@example.com}
    {}
    {-header {Resent-From a@example.com}}
    {-header {To a@example.com} -header {Bcc "<bad"}}
    {-atleastone maybe -recipients a@example.com}
    {-debug 2 -recipients a@example.com}
    {-queue TRUE -usetls Off -tlsimport x}
    {-servers "\{a" -recipients a@example.com}
}
foreach case $cases {
    set code [catch {smtp::sendmessage $t {*}$case} msg opts]
    puts "[list $case] -> $code: $msg"
    puts "    errorCode: [dict get $opts -errorcode]"
}
"""
    ref, ours = both(server, script)
    assert "unknown option -bogus" in ref.run.stdout
    assert_same(ref, ours)


def test_server_and_port_lists(server):
    """Empty entries, short port lists, service names: as tcllib walks them."""
    script = HEAD + f"""
set t [mime::initialize -canonical text/plain -string hi]
foreach {{servers ports}} [list \\
        {{}} {{}} \\
        {{"" 127.0.0.1}} [list 1 {server.port}] \\
        [list 127.0.0.1] [list {server.port} 99] \\
        [list 127.0.0.1 127.0.0.1] [list {dead_port()}] \\
        [list 127.0.0.1] [list 70000] \\
        [list 127.0.0.1] [list notaport] \\
    ] {{
    # a new token each time: tcllib leaves its headers on a token (compat.md)
    set t [mime::initialize -canonical text/plain -string hi]
    set code [catch {{smtp::sendmessage $t -servers $servers -ports $ports \\
        -header {{To a@example.com}}}} r opts]
    puts "[list $servers $ports] -> $code <$r> [dict get $opts -errorcode]"
}}
"""
    ref, ours = both(server, script)
    assert_same(ref, ours)


def _odd_replies(mail_reply: list[str]):
    def serve(peer):
        peer.say("220 odd server")
        while (line := peer.hear()) is not None:
            if line.startswith("EHLO"):
                peer.say("250-odd", "250-SIZE", "250 8BITMIME")
            elif line.startswith("MAIL"):
                peer.say(*mail_reply)
            elif line == "QUIT":
                peer.say("221 bye")
                return
            else:
                peer.say("250 ok")
    return serve


@pytest.mark.parametrize("mail_reply", [
    ["553-5.7.1 first line", "553-second {braced} line", "553 5.7.1 last $line"],
    ["55"],                                   # response too short
    ["abc what"],                             # unrecognizable code
    ["2x0 odd code"],                         # scan %d reads 2
    ["451 4.3.0 try again   "],               # trimmed
])
def test_reply_parsing_and_the_refusal_dict(mail_reply):
    with ScriptedServer(_odd_replies(mail_reply)) as s:
        ref, ours = both(s, send(s.port, "-header {To a@example.com} -debug 1"))
        assert_same(ref, ours)


def test_large_message_from_files(server, tmp_path):
    """A multipart message with -file bodies, big enough to be written in
    several pieces: the same bytes reach the server as with tcllib."""
    text = tmp_path / "notes.txt"
    text.write_bytes(b"".join(b".line %d with a leading dot\n%s\n" % (i, b"x" * (i % 70))
                              for i in range(12000)))
    blob = tmp_path / "blob.bin"
    blob.write_bytes(bytes((i * 7919) % 256 for i in range(300_000)))
    script = HEAD + f"""
set a [mime::initialize -canonical text/plain -file {text}]
set b [mime::initialize -canonical application/octet-stream -file {blob}]
set t [mime::initialize -canonical multipart/mixed -parts [list $a $b]]
set code [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {server.port} \\
    -header {{To a@example.com}} -header {{Subject big}}}} r]
show $code $r
"""
    ref, ours = both(server, script)
    assert ref.run.stdout.startswith("code=0")
    assert len(ours.messages[0]) > 3 * 256 * 1024
    assert_same(ref, ours, skip=("lines",))       # the messages compare the same bytes
