"""Connection reuse (TCLSMTP_KEEPALIVE=SECONDS, keepalive= in Python):
consecutive sends share one session, RSET between messages, a new
connection when the server has closed the old one or says 421, QUIT when
idle, at exit and at the end of a run; every message delivered once."""
from __future__ import annotations

import email
import time
import tkinter
from email.message import EmailMessage

import pytest

import tclsmtp
from tclsmtp.server import RecordingServer
from tclsmtp.smtp import api

from reference import run_tclsmtp

SEND = ('smtp::sendmessage [mime::initialize -canonical text/plain -string "message {n}"] '
        '-servers 127.0.0.1 -ports {port} -originator me@example.com -header {{To a@example.com}}')


@pytest.fixture
def kept(monkeypatch):
    """An interpreter whose sends keep their connections for 30 s."""
    monkeypatch.setenv("TCLSMTP_KEEPALIVE", "30")
    interp = tkinter.Tcl()
    session = tclsmtp.install(interp)
    interp.eval("package require smtp; package require mime")
    yield interp, session
    session.close()


def _send(interp, server, *numbers):
    for n in numbers:
        assert interp.eval(SEND.format(n=n, port=server.port)) == ""


def _bodies(server):
    return sorted(d.message.get_content().strip() for d in server.deliveries)


def _commands(lines):
    verbs = ("EHLO", "MAIL", "RCPT", "DATA", "RSET", "QUIT")
    return [line.split(" ")[0].split(":")[0] for line in lines if line.split(" ")[0].split(":")[0] in verbs]


@pytest.mark.parametrize("pipelining", [False, True], ids=["plain", "pipelining"])
def test_two_sends_share_one_session(kept, pipelining):
    interp, session = kept
    with RecordingServer(pipelining=pipelining) as server:
        _send(interp, server, 1, 2)
        session.close()                 # what exit and the end of a run do
        assert server.wait_closed()
        [lines] = server.client_lines
    assert _commands(lines) == ["EHLO", "MAIL", "RCPT", "DATA",
                                "RSET", "MAIL", "RCPT", "DATA", "QUIT"]
    assert _bodies(server) == ["message 1", "message 2"]


def test_a_send_s_end_does_not_touch_the_connection_the_next_send_took(kept, monkeypatch):
    # The worker of a send gives the connection back, hands the script its
    # result and only then returns. The next send may adopt the connection
    # in between: the first worker must leave it alone. Forced here: the
    # first worker waits, after the result, until the next send adopted it.
    import threading
    from tclsmtp.smtp import client, job
    adopted = threading.Event()
    settled, adopt = job.SendJob.settled, client.Conversation.adopt

    def settled_then_wait(self, outcome, error):
        settled(self, outcome, error)
        if not adopted.is_set():          # the first send
            adopted.wait(5)

    def adopt_and_tell(self, plan, host):
        adopt(self, plan, host)
        adopted.set()
    monkeypatch.setattr(job.SendJob, "settled", settled_then_wait)
    monkeypatch.setattr(client.Conversation, "adopt", adopt_and_tell)
    interp, session = kept
    interp.eval("after 100000 {}")      # an event source: the sends use workers
    with RecordingServer(pipelining=True) as server:
        _send(interp, server, 1, 2)
        assert adopted.is_set()
        session.close()
        assert server.wait_closed()
        assert len(server.client_lines) == 1       # one connection, both messages
    assert _bodies(server) == ["message 1", "message 2"]


def test_a_quiet_interpreter_s_kept_sends_run_on_its_own_thread(kept, send_threads):
    # Nothing in Tcl could run while they wait, so no hand-off to a worker
    # (two thread wake-ups a message); with -debug, the lines still come as
    # the conversation goes, from a worker. (As under `tclsmtp run`.)
    import threading
    from tclsmtp.bridge import allow_inline_sends
    seen = send_threads
    interp, session = kept
    allow_inline_sends(interp)
    with RecordingServer(pipelining=True) as server:
        _send(interp, server, 1, 2)
        interp.eval(SEND.format(n=3, port=server.port) + " -debug 1")
        session.close()
        assert server.wait_closed()
        assert len(server.client_lines) == 1
    assert seen[:2] == [threading.main_thread()] * 2
    assert seen[2] is not threading.main_thread()
    assert _bodies(server) == ["message 1", "message 2", "message 3"]


SLOW_KEPT = """package require smtp
package require mime
set ticks 0
proc tick {} { incr ::ticks; after 20 tick }
foreach n {1 2} {
    set t [mime::initialize -canonical text/plain -string "message $n"]
    if {$n == 2} { after 20 tick }
    smtp::sendmessage $t -servers 127.0.0.1 -ports PORT -originator me@example.com \
        -header {To a@example.com} -header {Bcc b@example.com}
    puts "$n $::ticks"
}
"""


def test_timers_keep_firing_during_a_slow_kept_send():
    # The first send has no event source (it runs on the script's thread);
    # the second has a timer, which fires as under tcllib's vwait while the
    # server takes 0.6 s over each message (the Bcc copy included).
    with RecordingServer(pipelining=True, data_delay=0.6) as server:
        run = run_tclsmtp(SLOW_KEPT.replace("PORT", str(server.port)),
                          env={"TCLSMTP_KEEPALIVE": "30"})
        assert run.returncode == 0, run.stderr
        assert server.wait_closed()
        assert len(server.connections) == 1
    first, second = run.stdout.split("\n")[:2]
    assert first == "1 0"
    assert int(second.split()[1]) >= 20          # 1.2 s of server time at 20 ms a tick
    recipients = sorted(r for d in server.deliveries for r in d.rcpt_tos)
    assert recipients == ["a@example.com", "a@example.com", "b@example.com", "b@example.com"]


def test_a_server_that_closed_the_connection_gets_a_new_one(kept):
    interp, _ = kept
    with RecordingServer(pipelining=True) as server:
        _send(interp, server, 1)
        server.hang_up()                # the server's idle timeout
        assert server.wait_closed()
        _send(interp, server, 2)
        assert len(server.connections) == 2
        assert _bodies(server) == ["message 1", "message 2"]


@pytest.mark.parametrize("pipelining", [False, True], ids=["plain", "pipelining"])
def test_421_at_a_per_connection_limit_means_a_new_connection(kept, pipelining):
    interp, session = kept
    with RecordingServer(pipelining=pipelining, message_limit=2) as server:
        _send(interp, server, *range(5))
        session.close()
        assert server.wait_closed()
        assert _bodies(server) == [f"message {n}" for n in range(5)]    # each once
        assert len(server.connections) == 3
        assert any("421 4.7.0" in line.decode() for who, line in server.connections[0].transcript
                   if who == "S")


def test_quit_when_idle(monkeypatch):
    monkeypatch.setenv("TCLSMTP_KEEPALIVE", "0.2")
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval("package require smtp; package require mime")
    with RecordingServer() as server:
        _send(interp, server, 1)
        assert server.wait_closed(10)   # nobody closes the session but its idle time
        assert server.client_lines[0][-1] == "QUIT"


def test_exit_says_quit():
    with RecordingServer() as server:
        script = "package require smtp\npackage require mime\n" + SEND.format(
            n=1, port=server.port) + "\n" + SEND.format(n=2, port=server.port) + "\nexit 3\n"
        run = run_tclsmtp(script, env={"TCLSMTP_KEEPALIVE": "30"})
        assert run.returncode == 3, run.stderr
        assert server.wait_closed()
        [lines] = server.client_lines
    assert _commands(lines)[-2:] == ["DATA", "QUIT"]
    assert _bodies(server) == ["message 1", "message 2"]


KEPT_SCRIPT = """package require smtp
package require mime
foreach {sender to} {me@example.com a@example.com  me@example.com {a@example.com, bad@example.com}
                     me@example.com bad@example.com  spammer@example.com a@example.com
                     me@example.com b@example.com} {
    set t [mime::initialize -canonical text/plain -string "to $to"]
    set code [catch {smtp::sendmessage $t -servers 127.0.0.1 -ports PORT -originator $sender \
                        -header [list To $to]} r]
    puts "$code $r"
}
"""


@pytest.mark.usefixtures("tcllib")
def test_kept_sends_show_the_script_what_tcllib_shows():
    # Refusals at RCPT and MAIL on a kept connection, then sends that work,
    # give the script tcllib's results (tcllib opens a connection a send).
    from conftest import assert_same, both
    with RecordingServer(refuse={"bad@example.com": "550 5.1.1 no such user"},
                         refuse_senders={"spammer@example.com": "553 5.7.1 refused"}) as server:
        ref, ours = both(server, KEPT_SCRIPT.replace("PORT", str(server.port)),
                         env={"TCLSMTP_KEEPALIVE": "30"})
    assert ref.run.stdout.count("\n") == 5 and ref.run.stdout.startswith("0 \n")
    assert_same(ref, ours, skip=("lines",))      # connections differ: kept ones
    assert len(ours.lines) < len(ref.lines) == 5


def test_a_bad_keepalive_setting_is_a_tcl_error(monkeypatch, server):
    monkeypatch.setenv("TCLSMTP_KEEPALIVE", "soon")
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval("package require smtp; package require mime")
    with pytest.raises(tkinter.TclError, match='TCLSMTP_KEEPALIVE: expected a number of seconds, got "soon"'):
        interp.eval(SEND.format(n=1, port=server.port))


def test_python_api_keepalive(server):
    def message(n):
        msg = EmailMessage()
        msg["From"] = "me@example.com"
        msg["To"] = "a@example.com"
        msg.set_content(f"message {n}")
        return msg
    for n in (1, 2):
        result = tclsmtp.sendmessage(message(n), servers="127.0.0.1", ports=server.port,
                                     keepalive=30)
        assert result.refused == {} and result.reply[0] == 250
    api._POOL.quit_idle()
    assert server.wait_closed()
    [lines] = server.client_lines
    assert _commands(lines).count("EHLO") == 1 and _commands(lines)[-1] == "QUIT"
    assert _bodies(server) == ["message 1", "message 2"]


def test_a_real_postfix_gets_1000_messages_once_on_one_connection():
    from postfix import Postfix
    script = """package require smtp
package require mime
for {set n 0} {$n < 1000} {incr n} {
    set t [mime::initialize -canonical text/plain -string "message $n"]
    smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \\
        -originator me@example.com -header {To sink@example.com}
    mime::finalize $t
}
"""
    with Postfix() as mta:
        run = run_tclsmtp(script, str(mta.port), env={"TCLSMTP_KEEPALIVE": "60"})
        assert run.returncode == 0, run.stderr
        bodies = sorted(int(email.message_from_bytes(p.read_bytes()).get_payload().split()[1])
                        for p in mta.wait_delivered(1000))
        log = mta.log()
    assert bodies == list(range(1000)), f"{len(bodies)} delivered"
    # smtpd's own count of the session: one EHLO, RSET between messages.
    assert "ehlo=1 mail=1000 rcpt=1000 data=1000 rset=999 quit=1" in log, log[-2000:]


def test_quit_when_the_session_goes(monkeypatch):
    """A transport that lets its Session go (an interpreter deleted) gets its
    kept connections closed with QUIT, without calling session.close()."""
    import gc
    import weakref
    from tclsmtp.primitives import load_all
    from tclsmtp.session import Session
    monkeypatch.setenv("TCLSMTP_KEEPALIVE", "30")
    table = load_all()
    session = Session()
    with RecordingServer() as server:
        token = table["mime.initialize"](session, "-canonical", "text/plain", "-string", "hi")
        handle, *event = table["smtp.send"](
            session, token, "me", "localhost", "", "-servers", "127.0.0.1", "-ports",
            str(server.port), "-originator", "me@example.com", "-header", "To a@example.com")
        while event[0] != "done":
            event = table["smtp.next"](session, handle)
        gone = weakref.ref(session)
        del session
        deadline = time.monotonic() + 5     # the worker may still be finishing
        while gc.collect() is not None and gone() is not None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert gone() is None
        assert server.wait_closed()
        assert server.client_lines[0][-1] == "QUIT"
