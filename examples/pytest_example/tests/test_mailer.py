"""Testing notify/mailer.tcl with tclsmtp's tcl_mail fixture.

No mail server is needed: tcl_mail is a Tcl interpreter whose every
smtp::sendmessage goes to a recording server on 127.0.0.1.
"""
from pathlib import Path

import pytest

MAILER = Path(__file__).resolve().parent.parent / "notify" / "mailer.tcl"


@pytest.fixture
def mail(tcl_mail):
    tcl_mail.source(MAILER)
    return tcl_mail


def test_welcome_mail(mail):
    mail.call("notify::welcome", "ann@example.com", "Ann")

    msg = mail.message                                  # exactly one was sent
    assert msg.mail_from == "notify@example.com"        # the envelope
    assert msg.rcpt_tos == ["ann@example.com"]
    assert msg["Subject"] == "Welcome, Ann"             # headers
    assert msg["From"] == "Notifier <notify@example.com>"
    assert msg.text == "Hello Ann,\n\nwelcome aboard!\n"   # the decoded body


def test_report_has_both_versions_and_the_attachment(mail, tmp_path):
    csv = tmp_path / "sales.csv"
    csv.write_bytes(b"region,units\nnorth,1204\nsouth,877\n")

    refused = mail.call("notify::report", ("boss@example.com", "team@example.com"), str(csv))

    assert refused == ""                                # nobody was refused
    msg = mail.message
    assert sorted(msg.rcpt_tos) == ["boss@example.com", "team@example.com"]
    assert msg.content_type == "multipart/mixed"
    assert msg.text == "The report is attached.\n"
    assert "<b>attached</b>" in msg.html
    (attachment,) = msg.attachments
    assert attachment.filename == "sales.csv"
    assert attachment.content == csv.read_bytes()       # base64 removed


@pytest.mark.tcl_mail(refuse={"gone@example.com": "550 5.1.1 no such user"})
def test_a_refused_recipient_is_reported(mail, tmp_path):
    csv = tmp_path / "sales.csv"
    csv.write_text("x\n")

    refused = mail.eval(f'notify::report {{ok@example.com gone@example.com}} {{{csv}}}')

    assert "gone@example.com 550" in refused            # tcllib's result format
    assert mail.message.rcpt_tos == ["ok@example.com"]  # -atleastone 1: sent anyway
