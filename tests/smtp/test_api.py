"""tclsmtp.sendmessage_tcl: smtp::sendmessage itself for Python code, on EmailMessages
(tclsmtp.sendmessage, smtplib's rules: test_api_python.py)."""
from __future__ import annotations

from email.message import EmailMessage

import pytest

import tclsmtp
from tclsmtp.server import RecordingServer
from tclsmtp.smtp.api import Refusal

from scripted import ScriptedServer


def message() -> EmailMessage:
    msg = EmailMessage()
    msg["Subject"] = "From Python"
    msg.set_content("Hello from Python.\n.leading dot\n")
    return msg


def test_sends_and_leaves_the_message_alone(server):
    msg = message()
    before = msg.as_bytes()
    refused = tclsmtp.sendmessage_tcl(msg, servers=["127.0.0.1"], ports=[server.port],
                                  originator="me@example.com",
                                  headers=[("To", "You <you@example.com>"),
                                           ("cc", "other@example.com")])
    assert refused == []
    assert msg.as_bytes() == before
    [delivery] = server.deliveries
    assert delivery.mail_from == "me@example.com"
    assert delivery.rcpt_tos == ["you@example.com", "other@example.com"]
    got = delivery.message
    assert got["Subject"] == "From Python"
    assert got["To"] == "You <you@example.com>"
    assert got["From"] == "me@example.com"
    assert got["Date"] is not None and got["Message-ID"] is not None
    assert got.get_content().replace("\r\n", "\n") == "Hello from Python.\n.leading dot\n"
    # RFC 5321 4.5.2: the leading dot was doubled on the wire, and undone
    assert any(line == "..leading dot" for line in server.client_lines[0])


def test_refused_recipients_come_back_as_tuples():
    with RecordingServer(refuse={"bad@example.com": "550 5.1.1 unknown"}) as s:
        refused = tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=s.port,
                                      recipients=["good@example.com", "bad@example.com"],
                                      atleastone=True)
        assert refused == [("bad@example.com", 550, "5.1.1 unknown")]
        assert s.deliveries[0].rcpt_tos == ["good@example.com"]


def test_a_refused_message_raises_refusal_with_the_reply():
    with RecordingServer(refuse_senders={"me@example.com": "553 5.7.1 sender refused"}) as s:
        with pytest.raises(Refusal) as err:
            tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=s.port,
                                originator="me@example.com", recipients="a@example.com")
        assert err.value.reply.code == 553
        assert err.value.reply.diagnostic == "5.7.1 sender refused"
        assert err.value.code == 7
        assert str(err.value) == "diagnostic {5.7.1 sender refused} args {} code 553"


def test_option_errors_are_tcllibs(server):
    with pytest.raises(tclsmtp.ScriptError, match='need -header "To ..."'):
        tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=server.port)
    with pytest.raises(tclsmtp.ScriptError, match="carriage return, line feed or NUL"):
        tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=server.port,
                            recipients="a@example.com", headers={"X-Bad": "a\r\nBcc: b@example.com"})
    assert server.client_lines == []


def test_debug_lines_go_to_a_callable(server):
    lines: list[str] = []
    tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=server.port,
                        recipients="a@example.com", debug=lines.append)
    assert lines[0] == "Trying 127.0.0.1..."
    assert "--> RCPT TO:<a@example.com> (wait upto 3600 seconds)" in lines
    assert lines[-1].startswith("<-- 221")


def test_verified_tls_with_tls_init_options(certs):
    with RecordingServer(tls_context=certs.server_context) as s:
        tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=s.port, recipients="a@example.com",
                            strict_tls=True, tls={"cafile": str(certs.cafile)})
        assert len(s.deliveries) == 1
        assert s.client_lines[0][1] == "STARTTLS"
        with pytest.raises(tclsmtp.ScriptError, match="certificate verify failed"):
            tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=s.port,
                                recipients="a@example.com", strict_tls=True)


def test_tlspolicy_callable_decides():
    def serve(peer):
        peer.say("220 hi")
        while (line := peer.hear()) is not None:
            if line.startswith("EHLO"):
                peer.say("250-x", "250 STARTTLS")
            elif line == "STARTTLS":
                peer.say("454 not now")
            elif line == "QUIT":
                peer.say("221 bye")
                return
            else:
                peer.say("250 ok")
    asked = []
    with ScriptedServer(serve) as s:
        with pytest.raises(tclsmtp.ScriptError):
            tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=s.port, recipients="a@x.org",
                                tlspolicy=lambda code, text: asked.append((code, text)) or "secure")
    assert asked == [(454, "not now")]


def test_max_wait_bounds_a_silent_server():
    import time

    def silent(peer):
        time.sleep(10)
    with ScriptedServer(silent) as s:
        started = time.monotonic()
        with pytest.raises(tclsmtp.ScriptError, match="read from server timed out"):
            tclsmtp.sendmessage_tcl(message(), servers="127.0.0.1", ports=s.port,
                                recipients="a@example.com", max_wait=0.5)
        assert time.monotonic() - started < 5


def test_a_token_of_an_interpreter_is_sent_and_kept(interp, server):
    interp.eval("package require mime")
    token = interp.eval('set t [mime::initialize -canonical text/plain -string "from Tcl"]')
    part = tclsmtp.get_message(interp, token)
    tclsmtp.sendmessage_tcl(part, servers="127.0.0.1", ports=server.port, recipients="a@example.com")
    assert interp.eval("lsort [mime::getheader $t -names]") == "Content-ID"
    assert server.deliveries[0].message.get_content().strip() == "from Tcl"
