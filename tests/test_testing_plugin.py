"""tclsmtp.testing: the tcl_mail pytest fixture and its helpers.

The fixture comes from the pytest11 entry point (no conftest defines it),
so these tests also show that installing tclsmtp registers the plugin.
"""
from __future__ import annotations

import shutil
import smtplib
import subprocess
import sys
from email.header import decode_header, make_header
from email.message import EmailMessage
from pathlib import Path

import pytest

from tclsmtp.testing import capture

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "pytest_example"


def test_importing_the_plugin_is_cheap():
    # pytest imports it in every session of every project with tclsmtp.
    probe = ("import sys, tclsmtp.testing\n"
             "print([m for m in ('tkinter', 'aiosmtpd', 'aiosmtpd.smtp', 'email.parser')"
             " if m in sys.modules])\n")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_the_views_of_a_captured_message(tcl_mail):
    # A message built by Python's email package: it says what the views give.
    sent = EmailMessage()
    sent["From"] = "Ann <ann@example.com>"
    sent["To"] = "bob@example.com"
    sent["Subject"] = "Grüße"
    sent.set_content("plain body\nsecond line\n")
    sent.add_alternative("<p>html body</p>\n", subtype="html")
    sent.add_attachment(b"\x00\x01binary", maintype="application", subtype="octet-stream",
                        filename="blob.bin")
    with smtplib.SMTP(tcl_mail.server.host, tcl_mail.server.port) as client:
        client.send_message(sent, from_addr="bounce@example.com",
                            to_addrs=["bob@example.com", "cc@example.com"])
    msg = tcl_mail.message
    assert msg.mail_from == "bounce@example.com"
    assert msg.rcpt_tos == ["bob@example.com", "cc@example.com"]
    assert msg["Subject"] == "Grüße"
    assert msg.subject == "Grüße"
    raw_subject = dict(msg.raw_headers)["Subject"]       # as sent: an encoded word
    assert raw_subject.startswith("=?utf-8?")
    assert str(make_header(decode_header(raw_subject))) == "Grüße"
    assert msg.text == "plain body\nsecond line\n"
    assert msg.html == "<p>html body</p>\n"
    (att,) = msg.attachments
    assert (att.filename, att.content) == ("blob.bin", b"\x00\x01binary")
    assert [p.content_type.split(";")[0] for p in msg.parts] == \
        ["text/plain", "text/html", "application/octet-stream"]
    tcl_mail.clear()
    assert tcl_mail.messages == []
    with pytest.raises(AssertionError, match="exactly one message, got 0"):
        tcl_mail.message


def test_a_tcl_send_is_captured_whatever_the_servers(tcl_mail, tcllib):
    tcl_mail.eval("""
        package require smtp
        package require mime
        set t [mime::initialize -canonical text/plain -string "captured body\\n"]
        mime::setheader $t Subject "captured"
        smtp::sendmessage $t -originator from@example.com -recipients to@example.com \\
            -servers {mail.invalid} -ports 2525
        mime::finalize $t
    """)
    msg = tcl_mail.message
    assert (msg.mail_from, msg.rcpt_tos) == ("from@example.com", ["to@example.com"])
    assert msg["Subject"] == "captured"
    assert msg.text == "captured body\n"
    assert tcl_mail.conversations[0][0].startswith("EHLO ")


@pytest.mark.tcl_mail(refuse={"gone@example.com": "550 5.1.1 no such user"})
def test_the_marker_configures_the_server(tcl_mail):
    result = tcl_mail.eval("""
        package require smtp
        package require mime
        set t [mime::initialize -canonical text/plain -string x]
        smtp::sendmessage $t -atleastone 1 -originator a@example.com \\
            -recipients {ok@example.com, gone@example.com}
    """)
    assert result == "{gone@example.com 550 {5.1.1 no such user}}"
    assert tcl_mail.message.rcpt_tos == ["ok@example.com"]


def test_capture_works_without_pytest_fixtures():
    with capture(size=None) as mail:
        mail.eval("""
            package require smtp
            package require mime
            smtp::sendmessage [mime::initialize -canonical text/plain -string hi] \\
                -originator a@example.com -recipients b@example.com
        """)
        assert mail.message.rcpt_tos == ["b@example.com"]
        assert " SIZE=" not in mail.conversations[0][2]     # no SIZE offered, none sent


def test_the_example_project_passes_from_a_fresh_copy(tmp_path):
    project = tmp_path / "project"
    shutil.copytree(EXAMPLE, project)
    run = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
                         cwd=project, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout + run.stderr
    assert "3 passed" in run.stdout


def test_source_runs_a_script_as_tclsh_would(tcl_mail, tmp_path):
    script = tmp_path / "notify.tcl"
    script.write_text('set seen [list $argc $argv [file tail $argv0] [file tail [info script]]]\n'
                      'package require smtp\npackage require mime\n'
                      'smtp::sendmessage [mime::initialize -canonical text/plain -string hi] \\\n'
                      '    -originator a@example.com -recipients [lindex $argv 0]\n')
    tcl_mail.source(script, "ops@example.com", "two words")
    assert tcl_mail.eval("set seen") == "2 {ops@example.com {two words}} notify.tcl notify.tcl"
    assert tcl_mail.message.rcpt_tos == ["ops@example.com"]


def test_a_bcc_send_is_two_messages(tcl_mail):
    # tcllib's behaviour (see docs/testing.md): the original, then a digest.
    tcl_mail.eval("""
        package require smtp
        package require mime
        smtp::sendmessage [mime::initialize -canonical text/plain -string hi] \\
            -header {From a@example.com} -header {To b@example.com} \\
            -header {Bcc c@example.com} -header {Subject s}
    """)
    first, second = tcl_mail.messages
    assert first.rcpt_tos == ["b@example.com"] and first["Bcc"] is None
    assert second.rcpt_tos == ["c@example.com"]
    assert second.content_type == "multipart/digest"
    assert second["Subject"] == "[Bcc] s"
