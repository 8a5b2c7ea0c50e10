"""Capture mode (`tclsmtp run --capture`) with real messages, and a recording
server that shuts down without asyncio's complaints."""
from __future__ import annotations

import email
import email.message
import email.policy
import gc
import logging
import re
import socket
import subprocess
import sys
from pathlib import Path

from tclsmtp.server import RecordingServer

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "send_simple_message.tcl"


def run(*args: str, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tclsmtp", "run", *args], capture_output=True,
                          text=True, timeout=300, **kwargs)


def test_seed_example_in_capture_mode_prints_nothing_on_stderr():
    # Before the fix, 5 runs of 6 printed "Task was destroyed but it is
    # pending!"; several runs at once catch it.
    runs = [subprocess.Popen([sys.executable, "-m", "tclsmtp", "run", "--capture", str(EXAMPLE)],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)]
    for p in runs:
        out, err = p.communicate(timeout=120)
        assert (p.returncode, err) == (0, "")
        assert "RCPT TO: <someone@somewhere.com>" in out


SEND = """package require mime; package require smtp
set t [mime::initialize -canonical text/plain -string [lindex $argv 0]]
mime::setheader $t Subject [lindex $argv 0]
smtp::sendmessage $t -header {From a@example.com} -header {To b@example.com}
"""


def test_two_runs_into_one_capture_dir_keep_both(tmp_path):
    script = tmp_path / "send.tcl"
    script.write_text(SEND)
    out = tmp_path / "out"
    for subject in ("first", "second"):
        p = run("--capture", "--capture-dir", str(out), str(script), subject)
        assert p.returncode == 0, p.stderr
    assert sorted(f.name for f in out.iterdir()) == [
        "message-001.eml", "message-001.json", "message-002.eml", "message-002.json"]
    subjects = [email.message_from_bytes((out / f"message-00{n}.eml").read_bytes())["Subject"]
                for n in (1, 2)]
    assert subjects == ["first", "second"]
    assert "==== tclsmtp capture: message 2 ====" in p.stdout           # the file's number
    assert f"saved as {out / 'message-002.eml'}" in p.stdout


MULTIPART = """package require mime; package require smtp
set text [mime::initialize -canonical text/plain -string "hello there\\nsecond line"]
set data [mime::initialize -canonical application/octet-stream \\
    -header {Content-Disposition {attachment; filename="r.bin"}} -string [string repeat xyz 3000]]
set inner [mime::initialize -canonical multipart/alternative -parts [list $text]]
set m [mime::initialize -canonical multipart/mixed -parts [list $inner $data]]
mime::setheader $m Subject "report"
smtp::sendmessage $m -header {From a@example.com} -header {To b@example.com} \\
    -header {Bcc c@example.com}
"""


def _structure_from_email(data: bytes) -> list[str]:
    """The summary's structure lines, worked out with Python's email package."""
    lines = []

    def walk(part, depth):
        words = [part.get_content_type()]
        if part.get_filename():
            words.append(f'"{part.get_filename()}"')
        if part["Content-Transfer-Encoding"]:
            words.append(part["Content-Transfer-Encoding"].lower())
        text = "  " * depth + " ".join(words)
        if part.is_multipart():
            subs = part.get_payload()
            lines.append(f"{text}, {len(subs)} part{'' if len(subs) == 1 else 's'}")
            for sub in subs:
                walk(sub, depth + 1)
        else:
            # compat32 keeps the payload as received (one character a byte)
            lines.append(f"{text}, {len(part.get_payload())} bytes")
    walk(email.message_from_bytes(data, policy=email.policy.compat32), 0)
    return lines


def test_capture_summary_shows_headers_and_structure_not_the_body(tmp_path):
    script = tmp_path / "mm.tcl"
    script.write_text(MULTIPART)
    p = run("--capture", "--capture-summary", "--capture-dir", str(tmp_path / "out"), str(script))
    assert p.returncode == 0, p.stderr
    assert "xyzxyz" not in p.stdout and "hello there" not in p.stdout
    reports = p.stdout.split("==== tclsmtp capture: message ")[1:]
    assert len(reports) == 2                       # the message and its Bcc copy
    for n, report in enumerate(reports, 1):
        data = (tmp_path / "out" / f"message-00{n}.eml").read_bytes()
        head = data.split(b"\r\n\r\n", 1)[0].decode().split("\r\n")
        shown_headers = report.split("---- headers ----\n")[1].split("\n---- structure")[0]
        assert shown_headers.split("\n") == head
        structure = report.split(f"---- structure ({len(data)} bytes) ----\n")[1]
        structure = structure.split("\n---- saved as")[0].split("\n")
        assert structure == _structure_from_email(data)
    assert "application/octet-stream \"r.bin\" base64" in reports[0]
    assert "message/rfc822, 1 part" in reports[1]


def test_a_100_mb_message_is_captured(tmp_path):
    line = b"x" * 899 + b"\n"
    body = tmp_path / "big.txt"
    with open(body, "wb") as f:
        for _ in range(100 * 1024 * 1024 // len(line) + 1):
            f.write(line)
    size = body.stat().st_size
    script = tmp_path / "big.tcl"
    script.write_text("package require mime; package require smtp\n"
                      "set t [mime::initialize -canonical text/plain -encoding 8bit "
                      "-file [lindex $argv 0]]\n"
                      "smtp::sendmessage $t -header {From a@example.com} -header {To b@example.com}\n"
                      "puts sent\n")
    p = run("--capture", "--capture-summary", "--capture-dir", str(tmp_path / "out"),
            str(script), str(body))
    assert p.returncode == 0, p.stderr
    assert p.stderr == ""
    assert p.stdout.rstrip().endswith("sent")
    saved = (tmp_path / "out" / "message-001.eml").read_bytes()
    head, sent_body = saved.split(b"\r\n\r\n", 1)
    assert sent_body == body.read_bytes().replace(b"\n", b"\r\n")     # 8bit: as is, CRLF
    assert len(sent_body) == size + size // len(line) > 100 * 1024 * 1024
    assert f"text/plain 8bit, {len(sent_body)} bytes" in p.stdout


def test_capture_max_size_refuses_larger_messages(tmp_path):
    script = tmp_path / "send.tcl"
    script.write_text("package require mime; package require smtp\n"
                      "set t [mime::initialize -canonical text/plain "
                      "-string [string repeat \"0123456789\\n\" 200]]\n"
                      "puts [catch {smtp::sendmessage $t -header {From a@example.com} "
                      "-header {To b@example.com}} r]; puts $r\n")
    p = run("--capture", "--capture-max-size", "1000", str(script))
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("7\n") and "code 552" in p.stdout   # tcllib: a refusal is code 7
    assert "==== tclsmtp capture" not in p.stdout
    p = run("--capture", "--capture-max-size", "100000", str(script))
    assert "==== tclsmtp capture: message 1 ====" in p.stdout


def test_stop_ends_open_connections_without_asyncio_complaints(caplog):
    caplog.set_level(logging.DEBUG, logger="asyncio")
    server = RecordingServer().start()
    client = socket.create_connection((server.host, server.port))
    client.settimeout(10)
    assert client.recv(100).startswith(b"220")
    client.sendall(b"EHLO me\r\n")
    assert re.match(rb"250", client.recv(1000))
    server.stop()                                  # the client is still connected
    rest = b""
    while chunk := client.recv(1000):              # the server closed the connection
        rest += chunk
    client.close()
    gc.collect()                                   # pending tasks complain when collected
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert server.connections[0].closed


def test_capture_takes_lines_longer_than_rfc_5321s_limit():
    # tcllib sends a long line as it is; capture mode must not refuse it
    # ("500 Line too long") where the script's real server takes it.
    import io

    import tclsmtp
    from tclsmtp.capture import Capture
    out = io.StringIO()
    capture = Capture(out).start()
    try:
        msg = email.message.EmailMessage()
        msg["From"], msg["To"] = "a@example.com", "b@example.com"
        msg.set_content("<p>" + "x" * 5000 + "</p>\n", cte="8bit")
        result = tclsmtp.sendmessage(msg, servers="127.0.0.1", route=capture.route)
    finally:
        capture.stop()
    assert result.reply[0] == 250
    assert "<p>" + "x" * 5000 + "</p>" in out.getvalue()
