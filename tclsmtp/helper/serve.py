"""``python -m tclsmtp serve``: one interpreter's helper process.

Reads call frames on stdin, runs each primitive against this process's
Session and writes the answer on stdout (frames.py). A primitive that waits
(a send) first says ``wait``, so that the interpreter runs its event loop;
calls its event handlers make meanwhile are answered in between, as the
bridge answers them from inside its own wait. Exits when stdin closes: the
interpreter exited, died, or was deleted.
"""
from __future__ import annotations

import os
import select
import signal
import sys
from typing import Optional

from ..primitives import answer
from ..session import Route, Session, Signal
from ..startup import start_collecting
from .frames import Frame, Pipe, PipeClosed, as_text


class Server:
    def __init__(self, pipe: Pipe, session: Session) -> None:
        self.pipe = pipe
        self.session = session
        self.calls: list[str] = []          # ids of the calls running, innermost last
        self._wake_r, self._wake_w = os.pipe()
        session.wait = self.wait

    def serve(self) -> None:
        while True:
            self.handle(self.pipe.read())

    def handle(self, frame: Frame) -> None:
        kind, call_id, fields = frame
        if kind == "cd" and fields:
            # The interpreter's `cd`: its relative file names are ours too.
            try:
                os.chdir(fields[0])
            except OSError:
                pass                # a gone directory: paths fail as they would there
            return
        if kind != "call" or not fields:
            raise PipeClosed(f"unexpected frame {kind!r}")
        self.calls.append(call_id)
        try:
            result = answer(self.session, fields[0], tuple(fields[1:]))
        finally:
            self.calls.pop()
        if result[0] == "ok":
            value = result[1]
            if isinstance(value, (list, tuple)):
                self.pipe.write("list", call_id, [as_text(v) for v in value])
            else:
                self.pipe.write("ok", call_id, [as_text(value)])
        else:
            _, message, errorcode, code = result
            self.pipe.write("error", call_id, [message, as_text(errorcode), str(code)])

    def wait(self, event: Signal) -> None:
        """Block until ``event`` is set while the interpreter serves its event
        loop (and answer the calls its handlers make meanwhile)."""
        self.pipe.write("wait", self.calls[-1], [])
        event.on_set = self._wake
        try:
            while not event.is_set():
                frame = self.pipe.take()
                if frame is not None:
                    self.handle(frame)
                    continue
                ready, _, _ = select.select([self.pipe.fd_in, self._wake_r], [], [])
                if self._wake_r in ready:
                    os.read(self._wake_r, 512)
                if self.pipe.fd_in in ready:
                    self.pipe.fill()
        finally:
            event.on_set = None

    def _wake(self) -> None:
        """(called by the sending thread: ends the select above)"""
        os.write(self._wake_w, b"!")


def _route_from_environment() -> Optional[Route]:
    text = os.environ.get("TCLSMTP_ROUTE", "")
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        return None
    return Route(host.strip("[]"), int(port))


def main() -> int:
    # The helper lives as long as its interpreter: a Ctrl-C in the terminal
    # is the interpreter's to handle (it reaches the whole process group).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Frames go to the real stdout; anything else printed goes to stderr.
    out = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    # Tcl starts us straight from its own process (no shell between).
    session = Session(pid=os.getppid())
    session.strict_tls = os.environ.get("TCLSMTP_STRICT_TLS", "") not in ("", "0")
    session.route = _route_from_environment()
    server = Server(Pipe(0, out), session)
    start_collecting()                  # off for start-up (cli.main)
    try:
        server.serve()
    except PipeClosed:
        pass
    # The interpreter exited or was deleted: kept SMTP connections
    # (TCLSMTP_KEEPALIVE) say QUIT, as under `tclsmtp run`.
    session.close()
    sys.stderr.flush()
    # Sends still running in worker threads belong to an interpreter that
    # is gone: do not wait for them.
    os._exit(0)
