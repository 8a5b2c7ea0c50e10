"""Every example of docs/python.md runs, in order, as a reader would run
them: against a recording server (the one line that says where the server
is names it)."""
from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest

from tclsmtp.compat.servers import DeadPort
from tclsmtp.server import RecordingServer

DOC = Path(__file__).resolve().parent.parent / "docs" / "python.md"
SERVER_LINE = 'SMTP_HOST, SMTP_PORT = "localhost", 8025'


def blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)


@pytest.fixture(scope="module")
def ran():
    """The examples run one after the other in one namespace."""
    code = blocks()
    assert code[0].strip() == SERVER_LINE
    dead = DeadPort()
    with RecordingServer() as server:
        namespace = {"DEAD_PORT": dead.port, "__name__": "docs_python"}
        exec(f'SMTP_HOST, SMTP_PORT = "127.0.0.1", {server.port}', namespace)
        for block in code[1:]:
            exec(compile(block, f"docs/python.md, example {code.index(block)}", "exec"), namespace)
        namespace["deliveries"] = list(server.deliveries)
    dead.close()
    yield namespace
    # The examples' functions and their globals (this dict) are a cycle that
    # holds the examples' Tcl interpreters: free them here, in the main
    # thread. Left to the collector, a server thread of a later test may free
    # them, and a Tcl interpreter deleted outside its thread aborts the process.
    namespace.clear()
    gc.collect()


def test_the_examples_run(ran):
    # The first send, the asyncio send and the Tk send were delivered.
    assert len(ran["deliveries"]) == 3
    first = ran["deliveries"][0]
    assert first.rcpt_tos == ["ann@example.com", "audit@example.com", "bob@example.com"]
    assert b"audit@example.com" not in first.data and b"\r\nBcc:" not in first.data


def test_the_fixture_example_runs(ran, tcl_mail):
    ran["test_report_mail"](tcl_mail)
