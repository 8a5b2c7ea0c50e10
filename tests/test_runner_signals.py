"""SIGINT and SIGTERM under `tclsmtp run` end the process as they end tclsh:
at once (also in a busy loop), killed by the signal, no traceback; a send
that was in progress is abandoned without its final "."."""
from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "smtp"))
from scripted import ScriptedServer  # noqa: E402

BUSY = """puts ready; flush stdout
while 1 {}
"""

WAITING = """puts ready; flush stdout
after 100000
puts late
"""


def _start(command: list[str], script: str) -> tuple[subprocess.Popen, str]:
    fd, path = tempfile.mkstemp(suffix=".tcl", prefix="tclsmtp-signal-")
    with os.fdopen(fd, "w") as f:
        f.write(script)
    process = subprocess.Popen([*command, path], stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, text=True)
    return process, path


def _killed(command: list[str], script: str, signum: int, ready: str = "ready") -> tuple[int, str, str]:
    """Start the script, wait for its ``ready`` line, send ``signum``; the
    exit status and what it printed after that."""
    process, path = _start(command, script)
    try:
        assert process.stdout.readline().strip() == ready
        process.send_signal(signum)
        out, err = process.communicate(timeout=10)   # "at once": within seconds
        return process.returncode, out, err
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.unlink(path)


TCLSMTP = [sys.executable, "-m", "tclsmtp", "run"]


@pytest.mark.parametrize("script", [BUSY, WAITING], ids=["busy-loop", "after"])
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_signal_ends_the_script_as_it_ends_tclsh(script, signum):
    ref = _killed(["tclsh"], script, signum)
    ours = _killed(TCLSMTP, script, signum)
    assert ref == (-signum, "", "")
    assert ours == ref


def _stalled_in_data(got_data: threading.Event, killed: threading.Event, seen: dict):
    """Takes the envelope and the first line of the message, then stops
    reading (the client blocks mid-DATA) until the client is killed; then
    reads what was sent and whether the final "." came."""
    def serve(peer):
        peer.say("220 hi")
        while (line := peer.hear()) is not None:
            if line.startswith("EHLO"):
                peer.say("250 hi")
            elif line == "DATA":
                peer.say("354 go")
                peer.hear()
                got_data.set()
                killed.wait(30)
                data = peer.buffer
                peer.sock.settimeout(20)
                try:
                    while chunk := peer.sock.recv(1 << 20):
                        data = data[-8:] + chunk
                except ConnectionResetError:
                    pass
                seen["final dot"] = data.endswith(b"\r\n.\r\n")
                return
            else:
                peer.say("250 ok")
        seen["closed before DATA"] = True
    return serve


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupted_send_is_abandoned(signum, tmp_path):
    """Inside catch, too: the signal is not an error the script goes on
    from, and the message never gets its final "."."""
    got_data, killed, seen = threading.Event(), threading.Event(), {}
    body = tmp_path / "attachment.bin"          # 8 MB: more than the socket buffers hold
    body.write_bytes(bytes(8 << 20))
    with ScriptedServer(_stalled_in_data(got_data, killed, seen)) as server:
        # a small receive window: the client blocks with most of the
        # message unsent (its own send buffer holds at most a few MB)
        server.listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 16)
        script = f"""package require smtp; package require mime
set t [mime::initialize -canonical application/octet-stream -file {{{body}}}]
puts ready; flush stdout
set code [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {server.port} \\
    -header {{To a@example.com}}}} r]
puts "code=$code result=$r"
"""
        process, path = _start(TCLSMTP, script)
        try:
            assert process.stdout.readline().strip() == "ready"
            assert got_data.wait(30)
            process.send_signal(signum)
            out, err = process.communicate(timeout=10)
            killed.set()
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            os.unlink(path)
        deadline = time.monotonic() + 20     # the server reads to the end
        while "final dot" not in seen and time.monotonic() < deadline:
            killed.wait(0.05)
    assert (process.returncode, out, err) == (-signum, "", "")
    assert seen == {"final dot": False}
