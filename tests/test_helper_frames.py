"""The helper's side of its pipes, in-process: frames of any size cross
whole, and a wait ends when its send signals, answering the interpreter's
calls meanwhile, without a thread of its own."""
from __future__ import annotations

import os
import threading

from tclsmtp.helper.frames import Pipe
from tclsmtp.helper.serve import Server
from tclsmtp.session import Session, Signal


def _frame(kind: str, call_id: str, *fields: bytes) -> bytes:
    """A frame as tcl/helper.tcl's Send writes it."""
    return (" ".join([kind, call_id, *(str(len(f)) for f in fields)]) + "\n").encode() \
        + b"".join(fields)


def _write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        view = view[os.write(fd, view):]


def test_frames_small_and_large_cross_whole():
    r, w = os.pipe()
    big = os.urandom(3 << 20).hex().encode()        # 6 MiB, far past one read
    frames = [_frame("call", "1", b"core.version"),
              _frame("call", "2", b"mime.initialize", big, "caf\u00e9\0".encode()),
              _frame("cd", "0", b"/tmp")]
    writer = threading.Thread(target=_write_all, args=(w, b"".join(frames)))
    writer.start()
    try:
        pipe = Pipe(r, w)
        assert pipe.read() == ("call", "1", ["core.version"])
        assert pipe.read() == ("call", "2", ["mime.initialize", big.decode(), "caf\u00e9\0"])
        assert pipe.read() == ("cd", "0", ["/tmp"])
    finally:
        writer.join()
        os.close(r)
        os.close(w)


def test_a_signal_calls_its_waiter_once_set():
    seen = []
    signal = Signal()
    signal.on_set = lambda: seen.append(signal.is_set())
    signal.set()
    signal.on_set = None
    signal.set()
    assert seen == [True]


def test_a_wait_answers_calls_and_ends_when_signalled_without_a_thread():
    to_helper_r, to_helper_w = os.pipe()
    from_helper_r, from_helper_w = os.pipe()
    server = Server(Pipe(to_helper_r, from_helper_w), Session())
    server.calls.append("5")                  # the send that waits
    event = Signal()
    before = set(threading.enumerate())       # (other tests' servers may be running)
    threads_during: list[str] = []

    def interpreter_then_sender():
        # The interpreter's event handler makes a call while the send waits.
        _write_all(to_helper_w, _frame("call", "6", b"core.version"))
        answer = os.read(from_helper_r, 1 << 16)
        while b"ok 6 " not in answer:
            answer += os.read(from_helper_r, 1 << 16)
        threads_during.extend(t.name for t in set(threading.enumerate()) - before)
        event.set()

    other = threading.Thread(target=interpreter_then_sender, name="test-sender")
    other.start()
    try:
        server.wait(event)
    finally:
        other.join()
        for fd in (to_helper_r, to_helper_w, from_helper_r, from_helper_w):
            os.close(fd)
    assert event.on_set is None                # the waiter let go of it
    assert threads_during == ["test-sender"]
