"""Running one Tcl script under tclsh+tcllib and under tclsmtp against the
same server, and normalizing what legitimately differs between two runs
(dates, message and content IDs, boundaries, socket names, SIZE)."""
from __future__ import annotations

import re
import ssl
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from reference import Run, run_tclsh, run_tclsmtp

_ID = re.compile(r"<\d+\.\d+\.\d+@[^>]*>")
_DATE = re.compile(r"^((?:Resent-)?Date: )[^\r\n]*", re.M | re.I)
_SOCK = re.compile(r'"sock[0-9a-f]+"')
_SIZE = re.compile(r"SIZE=\d+")
_SCRIPT = re.compile(r"tclsmtp-test-\w+\.tcl")
_BOUNDARY = re.compile(r"----- =_[^\s\";]+")


def normalize(text: str) -> str:
    """One run's text with run-dependent values replaced by placeholders."""
    text = _ID.sub("<ID>", text)
    text = _SCRIPT.sub("SCRIPT.tcl", text)
    text = _DATE.sub(r"\1DATE", text)
    text = _SOCK.sub('"sockN"', text)
    text = _SIZE.sub("SIZE=N", text)
    return _BOUNDARY.sub("----- =_BOUNDARY", text)


@dataclass
class Record:
    """What a server saw from one run of a script."""
    run: Run
    lines: list[list[str]]            # client lines per connection
    envelopes: list[tuple[str, list[str]]]
    messages: list[str]               # delivered messages (latin-1 text)
    sizes: list[str]                  # MAIL FROM SIZE= values, as sent

    def normalized(self) -> dict[str, Any]:
        return {
            "stdout": normalize(self.run.stdout),
            "stderr": normalize(self.run.stderr),
            "returncode": self.run.returncode,
            "lines": [normalize("\r\n".join(conn)).split("\r\n") for conn in self.lines],
            "envelopes": self.envelopes,
            "messages": [normalize(m) for m in self.messages],
        }


def _records(server: Any, run: Run, conn_start: int, del_start: int) -> Record:
    connections = server.client_lines[conn_start:]
    deliveries = getattr(server, "deliveries", [])[del_start:]
    sizes = [o for conn in connections for line in conn if line.startswith("MAIL FROM")
             for o in re.findall(r"SIZE=(\d+)", line)]
    return Record(run, connections,
                  [(d.mail_from, list(d.rcpt_tos)) for d in deliveries],
                  [d.data.decode("latin-1") for d in deliveries], sizes)


def settle(server: Any, timeout: float = 2.0) -> None:
    """Wait (a little) until the server has seen every connection end: a
    client may exit right after its last command, and the server thread
    records what it read a moment later."""
    if hasattr(server, "wait_closed"):          # RecordingServer
        server.wait_closed(timeout)
        return
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and not server.idle():
        time.sleep(0.01)


def run_on(server: Any, runner, script: str, env: dict | None = None) -> Record:
    conn_start = len(server.client_lines)
    del_start = len(getattr(server, "deliveries", []))
    run = runner(script, env=env)
    settle(server)
    return _records(server, run, conn_start, del_start)


def both(server: Any, script: str, env: dict | None = None) -> tuple[Record, Record]:
    """The script under tcllib, then under tclsmtp, against ``server``."""
    ref = run_on(server, run_tclsh, script, env)
    ours = run_on(server, run_tclsmtp, script, env)
    return ref, ours


def _abort_tail_lost(theirs: list[list[str]], mine: list[list[str]]) -> list[list[str]]:
    """``theirs`` completed with the RSET/QUIT that tcllib's abort may lose.

    tcllib's abort sends RSET and QUIT without waiting and closes a
    non-blocking channel; when the script ends right after, the process can
    exit before Tcl has written them, so whether the server saw them is
    timing. Where tcllib's connection is ours minus such a tail, count them.
    """
    out = []
    for a, b in zip(theirs, mine):
        tail = b[len(a):]
        if b[:len(a)] == a and tail and tail == ["RSET", "QUIT"][:len(tail)] \
                and (not a or a[-1] not in ("RSET", "QUIT")):
            a = b
        out.append(a)
    return out + theirs[len(out):]


def assert_same(ref: Record, ours: Record, *, skip: tuple[str, ...] = ()) -> None:
    """The normalized runs agree (stdout, stderr, status, conversation,
    envelopes, messages), except the parts named in ``skip``."""
    a, b = ref.normalized(), ours.normalized()
    if "--> RSET (wait upto 0 seconds)" in a["stderr"] or not a["stderr"]:
        a["lines"] = _abort_tail_lost(a["lines"], b["lines"])
    for key in a:
        if key in skip:
            continue
        assert b[key] == a[key], f"{key} differs:\n tcllib: {a[key]!r}\ntclsmtp: {b[key]!r}"


@dataclass
class Certs:
    cafile: Path
    server_context: ssl.SSLContext
    wrong_name_context: ssl.SSLContext    # a certificate for another host


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> Certs:
    import trustme
    ca = trustme.CA()
    directory = tmp_path_factory.mktemp("tls")
    cafile = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))

    def context(*names: str) -> ssl.SSLContext:
        ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        ca.issue_cert(*names).configure_cert(ctx)
        return ctx
    return Certs(cafile, context("localhost", "127.0.0.1"), context("elsewhere.example"))


@pytest.fixture
def send_threads(monkeypatch) -> list:
    """The threads the sends' conversations run on, in order."""
    import threading
    from tclsmtp.smtp import client
    seen: list = []
    transactions = client._transactions

    def recording(*args, **kwargs):
        seen.append(threading.current_thread())
        return transactions(*args, **kwargs)
    monkeypatch.setattr(client, "_transactions", recording)
    return seen
