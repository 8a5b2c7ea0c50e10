"""A send running in a worker thread, talking to the interpreter by events.

tcllib waits for the server with ``vwait``, so a script's ``after`` timers,
file events and Tk redraws keep running during a send. Here the
conversation runs in a worker thread; the interpreter's thread waits in
``smtp.next`` through ``session.wait`` (which services Tcl's event loop) and
gets back the next event: -debug lines to print, a -tlspolicy question to
answer (Tcl runs the callback, ``smtp.answer`` carries the result), or the
end. Work that touches mime tokens (the Bcc digest) is handed back to the
interpreter's thread, so tokens are only ever used from there.
"""
from __future__ import annotations

import itertools
import queue
import threading
from collections import deque

from ..errors import ScriptError
from ..session import Signal
from .client import Plan, Transaction, converse

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional
    from .keepalive import Pool

_ids = itertools.count(1)


class _Workers:
    """Daemon threads kept for the next send: starting a thread costs ~2 ms
    once tkinter is loaded, more than a whole send to a local server. A
    send started while all are busy (one started from an ``after`` handler
    during another) gets a new one."""

    def __init__(self) -> None:
        self._tasks: "queue.SimpleQueue[Callable[[], None]]" = queue.SimpleQueue()
        self._lock = threading.Lock()
        self._idle = 0

    def submit(self, task: Callable[[], None]) -> None:
        with self._lock:
            spawn = self._idle == 0
            if not spawn:
                self._idle -= 1
        self._tasks.put(task)
        if spawn:
            # The task goes through the queue, not the Thread's args, which
            # the thread would keep (and the send's message with it) forever.
            threading.Thread(target=self._work, name="tclsmtp-smtp", daemon=True).start()

    def _work(self) -> None:
        while True:
            task: Optional[Callable[[], None]] = self._tasks.get()
            assert task is not None
            task()
            task = None           # an idle worker holds nothing of the last send
            with self._lock:
                self._idle += 1


_WORKERS = _Workers()


class SendJob:
    """One ``smtp::sendmessage`` in progress."""

    def __init__(self, plan: Plan, bcc: Optional[Callable[[], Transaction]] = None,
                 release_bcc: Optional[Callable[[], None]] = None,
                 pool: Optional["Pool"] = None) -> None:
        self.id = f"smtp{next(_ids)}"
        self.plan = plan
        self._pool = pool
        self._bcc = bcc
        self._release_bcc = release_bcc
        self._events: deque[tuple] = deque()
        self._lock = threading.Lock()
        self.ready = Signal()
        self._answer: Optional[str] = None
        self._answered: Optional[threading.Event] = None   # made when a question is asked
        self._settled = False
        self._waited = False
        self.inline = False

    def start(self, inline: bool = False) -> "SendJob":
        """Run the conversation in a worker thread, or (``inline``) here and
        now, on the interpreter's thread, when nothing in Tcl could run
        while it waits and no event needs Tcl before the end (no -debug
        lines to show as they come, no -tlspolicy callback): a send to a
        local server then takes no thread hand-off, which costs more than
        its own work (docs/architecture.md). The QUIT reply is still read
        after the result, by a worker (after_result)."""
        if inline:
            self.inline = True
            self._run()
        else:
            _WORKERS.submit(self._run)
        return self

    # -- the worker's side ------------------------------------------------------

    def _put(self, event: tuple) -> None:
        with self._lock:
            self._events.append(event)
            self.ready.set()

    def _run(self) -> None:
        try:
            outcome = converse(self.plan, self, self._pool)
        except ScriptError as e:
            self._finish(("error", e))
        except BaseException as e:     # a bug of ours; reported, not swallowed
            self._finish(("bug", e))
        else:
            self._finish(("done", outcome))

    def _finish(self, event: tuple) -> None:
        if not self._settled:
            self._settled = True
            self._put(event)

    def settled(self, outcome: Any, error: Optional[BaseException]) -> None:
        """The result is final (only the QUIT reply is still to be read)."""
        self._finish(("error", error) if error is not None else ("done", outcome))

    def after_result(self, fn: Callable[[], None]) -> None:
        """Run ``fn`` (the QUIT reply, the close) once the script has its
        result: here on a worker, in a worker when the send runs inline."""
        if self.inline:
            _WORKERS.submit(fn)
        else:
            fn()

    def debug(self, line: str) -> None:
        self._put(("debug", line))

    def tls_policy(self, command: str, code: int, diagnostic: str) -> str:
        answered = self._answered = threading.Event()
        self._put(("policy", command, code, diagnostic))
        answered.wait()
        return self._answer or ""

    def _on_main(self, fn: Callable[[], Any]) -> Any:
        """Run ``fn`` on the interpreter's thread; its result or exception."""
        if self.inline:
            return fn()
        box: dict[str, Any] = {}
        done = threading.Event()
        self._put(("call", fn, box, done))
        done.wait()
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def bcc_transaction(self) -> Transaction:
        assert self._bcc is not None
        return self._on_main(self._bcc)

    def release_bcc(self) -> None:
        if self._release_bcc is not None:
            self._on_main(self._release_bcc)

    # -- the interpreter's side ---------------------------------------------------

    def next_event(self, wait: Callable[[Signal], None]) -> tuple:
        """The next event for Tcl. Debug lines come in batches:
        ("debug", [lines]); then ("policy", command, code, text), ("done",
        Outcome), ("error", ScriptError) or ("bug", exception)."""
        if not self._waited and not self.inline:
            # tcllib's vwait runs what is pending at least once per send,
            # however fast the server: an `after 0` set before the send
            # fires during it. So does this first wait (session.wait runs
            # the pending events first), even when the send is already over.
            self._waited = True
            wait(self.ready)
        while True:
            with self._lock:
                if not self._events:
                    self.ready.clear()
                    event = None
                else:
                    event = self._events.popleft()
                    if event[0] == "debug":
                        lines = [event[1]]
                        while self._events and self._events[0][0] == "debug":
                            lines.append(self._events.popleft()[1])
                        event = ("debug", lines)
            if event is None:
                wait(self.ready)
                continue
            if event[0] == "call":
                _, fn, box, done = event
                try:
                    box["value"] = fn()
                except BaseException as e:
                    box["error"] = e
                done.set()
                continue
            return event

    def answer(self, value: str) -> None:
        self._answer = value
        if self._answered is not None:
            self._answered.set()

