"""The recording server's additions the harness relies on, driven by smtplib."""
from __future__ import annotations

import smtplib

import pytest

from tclsmtp.compat.transcript import read_connection
from tclsmtp.server import RecordingServer


def test_the_transcript_pairs_lines_and_keeps_the_message():
    body = "first\r\n.starts with a dot\r\n.\r\nlast\r\n"
    with RecordingServer() as server:
        with smtplib.SMTP("127.0.0.1", server.port) as client:
            client.sendmail("a@example.com", ["b@example.com"], body)
        assert server.wait_closed(5)
        (delivery,) = server.deliveries
        conv = read_connection(1, server.connections[0])
    (tx,) = conv.transactions
    # aiosmtpd's own unstuffing is the reference for ours.
    assert tx.data == delivery.data
    assert tx.reply == b"250 OK"
    lines = [f"{who}: {line.decode()}" for who, line in conv.lines]
    assert lines[0].startswith("S: 220 ")
    assert any(line.startswith("C: mail FROM:<a@example.com>") for line in lines)
    assert lines[lines.index("C: data") + 1] == "S: 354 End data with <CR><LF>.<CR><LF>"
    assert "C: <message 1 of this connection>" in lines
    assert lines[-2:] == ["C: QUIT", "S: 221 Bye"]


def test_a_refused_sender_gets_the_configured_reply():
    with RecordingServer(refuse_senders={"spam@example.com": "553 5.7.1 sender refused"}) as server:
        with smtplib.SMTP("127.0.0.1", server.port) as client:
            with pytest.raises(smtplib.SMTPSenderRefused) as info:
                client.sendmail("spam@example.com", ["b@example.com"], "x")
            assert info.value.smtp_code == 553
            client.sendmail("ok@example.com", ["b@example.com"], "x")
        assert [d.mail_from for d in server.deliveries] == ["ok@example.com"]


def test_an_rfc821_server_refuses_ehlo_and_takes_helo():
    with RecordingServer(ehlo=False) as server:
        with smtplib.SMTP("127.0.0.1", server.port) as client:
            code, _ = client.ehlo()
            assert code == 500
            assert client.helo()[0] == 250
            client.sendmail("a@example.com", ["b@example.com"], "x")
        assert len(server.deliveries) == 1


def test_only_the_chosen_auth_mechanisms_are_offered():
    with RecordingServer(credentials={"u": "p"}, auth_mechanisms=["LOGIN"]) as server:
        with smtplib.SMTP("127.0.0.1", server.port) as client:
            client.ehlo()
            assert client.esmtp_features["auth"].split() == ["LOGIN"]
            client.login("u", "p")
            client.sendmail("u@example.com", ["b@example.com"], "x")
        assert len(server.deliveries) == 1
