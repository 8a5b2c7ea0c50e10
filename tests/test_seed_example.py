"""The vertical slice: the smtp manual's example, unchanged, under tcllib and
under tclsmtp, against the same recording server on localhost:25."""
from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tclsmtp.helper.tclpath import write_tcl_path
from tclsmtp.server import RecordingServer

from reference import tcllib_env

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "send_simple_message.tcl"
VARIABLE = ("date", "message-id", "content-id")


@pytest.fixture
def port25():
    """The example names no port: tcllib's default, 25, must be ours."""
    try:
        server = RecordingServer(port=25).start()
    except OSError as e:
        pytest.fail(f"cannot listen on 127.0.0.1:25 for the seed example ({e}); "
                    "the test needs root and a free port 25")
    yield server
    server.stop()


def _run(cmd: list[str], env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})})


def _headers(data: bytes) -> list[tuple[str, str]]:
    head = data.split(b"\r\n\r\n", 1)[0].decode()
    return [tuple(line.split(": ", 1)) if ": " in line else (line.rstrip(":"), "")
            for line in head.split("\r\n")]


def _normal_lines(lines: list[str]) -> list[str]:
    # The client's lines include the message, whose IDs and date differ run
    # to run; SIZE= counts them.
    out = []
    for line in lines:
        line = re.sub(r" SIZE=\d+$", " SIZE=n", line)
        line = re.sub(r"^(Date|Message-ID|Content-ID): .*", r"\1: ...", line)
        out.append(line)
    return out


def test_seed_example_matches_tcllib(tcllib, port25, tmp_path):
    ref = _run(["tclsh", str(EXAMPLE)], tcllib_env())   # tcllib 2.0
    assert ref.returncode == 0, ref.stderr
    # tclsmtp both ways: `tclsmtp run` (the in-process bridge), and a plain
    # tclsh with TCLLIBPATH from `tclsmtp tcl-path` (the helper process).
    ours = _run([sys.executable, "-m", "tclsmtp", "run", str(EXAMPLE)])
    assert ours.returncode == 0, ours.stderr
    helper = _run(["tclsh", str(EXAMPLE)],
                  {"TCLLIBPATH": str(write_tcl_path(tmp_path / "tcl-path"))})
    assert helper.returncode == 0, helper.stderr
    assert (ours.stdout, ours.stderr) == (helper.stdout, helper.stderr) == \
        (ref.stdout, ref.stderr) == ("", "")

    # Each client exits as soon as QUIT is written; the server records it
    # when it reads it.
    assert port25.wait_closed()
    tcllib_delivery, *our_deliveries = port25.deliveries
    ref_lines, *our_client_lines = port25.client_lines
    assert len(our_deliveries) == 2
    for our_delivery, our_lines in zip(our_deliveries, our_client_lines):
        assert our_delivery.mail_from == tcllib_delivery.mail_from
        assert our_delivery.rcpt_tos == tcllib_delivery.rcpt_tos == ["someone@somewhere.com"]

        ref_headers, our_headers = _headers(tcllib_delivery.data), _headers(our_delivery.data)
        assert [k for k, _ in our_headers] == [k for k, _ in ref_headers]
        assert [(k, v) for k, v in our_headers if k.lower() not in VARIABLE] == \
               [(k, v) for k, v in ref_headers if k.lower() not in VARIABLE]
        assert our_delivery.data.split(b"\r\n\r\n", 1)[1] == \
            tcllib_delivery.data.split(b"\r\n\r\n", 1)[1]

        # The values that differ per run still have tcllib's form.
        ours_msg = email.message_from_bytes(our_delivery.data, policy=email.policy.default)
        assert ours_msg["Date"].datetime is not None
        assert re.fullmatch(r"<[^@<>]+@[^@<>]+>", str(ours_msg["Message-ID"]))

        assert _normal_lines(our_lines) == _normal_lines(ref_lines)


def test_capture_mode_prints_the_delivered_message(tmp_path):
    p = _run([sys.executable, "-m", "tclsmtp", "run", "--capture", "--capture-dir",
              str(tmp_path), str(EXAMPLE)])
    assert p.returncode == 0, p.stderr
    out = p.stdout
    assert re.search(r"^MAIL FROM: <[^>]+@[^>]+>$", out, re.M)
    assert "RCPT TO: <someone@somewhere.com>" in out
    assert "Subject: This is the subject." in out
    assert "\nThis is the message.\n" in out.split("---- message as received ----")[1]
    saved = email.message_from_bytes((tmp_path / "message-001.eml").read_bytes(),
                                     policy=email.policy.default)
    assert saved["Subject"] == "This is the subject."
    assert saved.get_payload(decode=True) == b"This is the message.\r\n"
    assert (tmp_path / "message-001.json").is_file()


def test_capture_mode_ignores_the_scripts_servers(tmp_path):
    script = tmp_path / "s.tcl"
    script.write_text(
        'package require mime; package require smtp\n'
        'set t [mime::initialize -canonical text/plain -string hello]\n'
        'puts [smtp::sendmessage $t -header {From ops@example.org} -recipients a@example.org'
        ' -servers {mail.invalid 192.0.2.1}'
        ' -ports {2525 587}]\n'
        'puts done\n')
    p = _run([sys.executable, "-m", "tclsmtp", "run", "--capture", str(script)])
    assert p.returncode == 0, p.stderr
    assert "MAIL FROM: <ops@example.org>" in p.stdout
    assert p.stdout.rstrip().endswith("done")
