"""tclsmtp.sendmessage as a smtplib user expects it: each case runs
smtplib.SMTP.send_message and tclsmtp.sendmessage against the same aiosmtpd
server, and the two must agree (envelope, exception class and values)."""
from __future__ import annotations

import asyncio
import smtplib
import time
from email.message import EmailMessage

import pytest

import tclsmtp
from tclsmtp.compat.servers import DeadPort
from tclsmtp.server import RecordingServer


def message(**headers: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Ann Example <ann@example.com>"
    for name, value in headers.items():
        msg[name] = value
    msg["Subject"] = "Hello"
    msg.set_content("Hello there.\n")
    return msg


def by_smtplib(server: RecordingServer, msg: EmailMessage, user: str = "",
               password: str = ""):
    with smtplib.SMTP("127.0.0.1", server.port) as s:
        if user:
            s.login(user, password)
        return s.send_message(msg)


def by_tclsmtp(server: RecordingServer, msg: EmailMessage, **kw):
    return tclsmtp.sendmessage(msg, servers="127.0.0.1", ports=server.port, **kw)


def both_raise(server: RecordingServer, msg: EmailMessage, **kw):
    """Both raise: the same class (smtplib's). Returns (smtplib's, ours)."""
    with pytest.raises(smtplib.SMTPException) as theirs:
        by_smtplib(server, msg, **kw)
    with pytest.raises(smtplib.SMTPException) as ours:
        by_tclsmtp(server, msg, username=kw.get("user", ""), password=kw.get("password", ""))
    assert type(ours.value) is type(theirs.value)
    return theirs.value, ours.value


def test_to_cc_bcc_all_get_it_and_bcc_is_never_sent(server):
    msg = message(To="to@example.com", Cc="Cee <cc@example.com>", Bcc="bcc@example.com")
    before = msg.as_bytes()
    assert by_smtplib(server, msg) == {}
    result = by_tclsmtp(server, msg)
    theirs, ours = server.deliveries
    assert (ours.mail_from, ours.rcpt_tos) == (theirs.mail_from, theirs.rcpt_tos) == (
        "ann@example.com", ["to@example.com", "bcc@example.com", "cc@example.com"])
    for delivery in (theirs, ours):
        assert b"bcc@example.com" not in delivery.data
        assert delivery.message["Bcc"] is None
    assert ours.message["From"] == "Ann Example <ann@example.com>"      # kept, once
    assert len(ours.message.get_all("From")) == 1
    assert ours.message["Cc"] == "Cee <cc@example.com>"
    assert msg.as_bytes() == before                                  # the caller's message
    assert result.sender == "ann@example.com"
    assert result.recipients == ours.rcpt_tos
    assert result.refused == {} and result.reply == (250, b"OK")


def test_sender_header_is_the_envelope_sender(server):
    msg = message(To="to@example.com", Sender="bot@example.com")
    by_smtplib(server, msg)
    by_tclsmtp(server, msg)
    assert [d.mail_from for d in server.deliveries] == ["bot@example.com"] * 2


def test_some_recipients_refused_come_back_as_smtplib_does():
    refuse = {"gone@example.com": "550 5.1.1 no such user"}
    with RecordingServer(refuse=refuse) as server:
        msg = message(To="to@example.com, gone@example.com")
        theirs = by_smtplib(server, msg)
        result = by_tclsmtp(server, msg)
        assert result.refused == theirs == {"gone@example.com": (550, b"5.1.1 no such user")}
        assert [d.rcpt_tos for d in server.deliveries] == [["to@example.com"]] * 2


def test_every_recipient_refused_raises_recipients_refused():
    refuse = {"gone@example.com": "550 5.1.1 no such user"}
    with RecordingServer(refuse=refuse) as server:
        theirs, ours = both_raise(server, message(To="gone@example.com"))
        assert ours.recipients == theirs.recipients == {
            "gone@example.com": (550, b"5.1.1 no such user")}
        assert server.deliveries == []


def test_refused_sender_raises_sender_refused():
    with RecordingServer(refuse_senders={"ann@example.com": "553 5.7.1 not you"}) as server:
        theirs, ours = both_raise(server, message(To="to@example.com"))
        assert (ours.smtp_code, ours.smtp_error, ours.sender) == (
            theirs.smtp_code, theirs.smtp_error, theirs.sender) == (
            553, b"5.7.1 not you", "ann@example.com")


def test_refused_message_raises_data_error():
    with RecordingServer(data_reply="554 5.7.1 looks like spam") as server:
        theirs, ours = both_raise(server, message(To="to@example.com"))
        assert ours.smtp_code == theirs.smtp_code == 554
        assert ours.smtp_error == theirs.smtp_error == b"5.7.1 looks like spam"


def test_wrong_password_raises_authentication_error_and_sends_nothing():
    with RecordingServer(credentials={"ann": "right"}) as server:
        theirs, ours = both_raise(server, message(To="to@example.com"), user="ann",
                                  password="wrong")
        assert ours.smtp_code == theirs.smtp_code == 535
        assert server.deliveries == []


def test_credentials_for_a_server_without_auth_raise_not_supported(server):
    both_raise(server, message(To="to@example.com"), user="ann", password="pw")
    assert server.deliveries == []


def test_right_password_sends(server):
    with RecordingServer(credentials={"ann": "right"}) as auth_server:
        result = by_tclsmtp(auth_server, message(To="to@example.com"), username="ann",
                            password="right")
        assert result.refused == {} and len(auth_server.deliveries) == 1


def test_a_dead_port_raises_connection_refused_naming_host_and_port():
    dead = DeadPort()
    try:
        with pytest.raises(OSError) as theirs:
            smtplib.SMTP("127.0.0.1", dead.port)
        with pytest.raises(OSError) as ours:
            tclsmtp.sendmessage(message(To="to@example.com"), servers="127.0.0.1",
                                ports=dead.port)
    finally:
        dead.close()
    assert type(ours.value) is type(theirs.value) is ConnectionRefusedError
    assert f"127.0.0.1 port {dead.port}" in str(ours.value)
    assert str(ours.value.__cause__).startswith('error reading "sock')   # tcllib's error


def test_a_refusing_greeting_raises_connect_error():
    with RecordingServer(greeting="421 4.3.2 busy") as server:
        with pytest.raises(smtplib.SMTPConnectError) as theirs:
            smtplib.SMTP("127.0.0.1", server.port)
        with pytest.raises(smtplib.SMTPConnectError) as ours:
            by_tclsmtp(server, message(To="to@example.com"))
        assert ours.value.smtp_code == theirs.value.smtp_code == 421
        assert f"127.0.0.1 port {server.port}".encode() in ours.value.smtp_error


def test_a_message_without_recipients_is_a_value_error(server):
    with pytest.raises(ValueError, match="no recipients"):
        by_tclsmtp(server, message())


def test_async_variant_lets_other_tasks_run_throughout():
    with RecordingServer(data_delay=0.3) as server:       # a slow final reply
        ticks: list[float] = []

        async def ticker() -> None:
            while True:
                ticks.append(time.monotonic())
                await asyncio.sleep(0.01)

        async def main():
            task = asyncio.create_task(ticker())
            await asyncio.sleep(0)
            started = time.monotonic()
            result = await tclsmtp.sendmessage_async(message(To="to@example.com"),
                                                     servers="127.0.0.1", ports=server.port)
            ended = time.monotonic()
            task.cancel()
            return result, started, ended

        result, started, ended = asyncio.run(main())
        assert result.refused == {} and len(server.deliveries) == 1
        during = [t for t in ticks if started <= t <= ended]
        assert ended - started >= 0.3 and len(during) >= 10
        # no gap longer than a small fraction of the send: the loop was never blocked
        gaps = [b - a for a, b in zip(during, during[1:])]
        assert max(gaps) < 0.15


def test_async_variant_raises_the_same_exceptions():
    dead = DeadPort()
    try:
        with pytest.raises(ConnectionRefusedError):
            asyncio.run(tclsmtp.sendmessage_async(message(To="to@example.com"),
                                                  servers="127.0.0.1", ports=dead.port))
    finally:
        dead.close()


def test_the_documented_tk_way_keeps_the_event_loop_running():
    # docs/python.md "From a Tk application": a thread sends, `after` polls.
    import concurrent.futures
    import tkinter
    root = tkinter.Tcl()
    ticks: list[float] = []

    def tick() -> None:
        ticks.append(time.monotonic())
        root.after(10, tick)

    with RecordingServer(data_delay=0.3) as server, \
            concurrent.futures.ThreadPoolExecutor(max_workers=1) as sender:
        future = sender.submit(tclsmtp.sendmessage, message(To="to@example.com"),
                               servers="127.0.0.1", ports=server.port)
        root.after(0, tick)
        started = time.monotonic()
        while not future.done():
            root.dooneevent()
        assert future.result().refused == {}
    assert time.monotonic() - started >= 0.3
    assert len(ticks) >= 10
