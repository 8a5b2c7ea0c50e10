"""Connection reuse (opt-in: TCLSMTP_KEEPALIVE=SECONDS, ``keepalive=``).

tcllib opens one connection per ``smtp::sendmessage``. With keepalive, a
send that ends well leaves its connection, greeted, upgraded to TLS and
authenticated, in a Pool instead of saying QUIT; the next send with the
same settings (servers, ports, TLS, credentials, ...) takes it back, says
RSET and goes on with MAIL. A connection idle for its keepalive seconds
gets its QUIT from the pool's reaper thread; ``Pool.close()`` says QUIT to
all of them (at ``exit``, at the end of ``tclsmtp run``, when the owning
Session goes, at the end of the process).

The pool knows nothing of Tcl: a transport owns one per Session
(``pool_for(session)``) and calls ``session.close()``.
"""
from __future__ import annotations

import atexit
import os
import threading
import time
import weakref

from ..errors import ScriptError

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional
    from .client import Conversation, Plan

ENV = "TCLSMTP_KEEPALIVE"
QUIT_WAIT = 2.0          # seconds to wait for the reply to a kept connection's QUIT

_POOLS: "weakref.WeakSet[Pool]" = weakref.WeakSet()


def keepalive_seconds(value: Optional[str] = None) -> float:
    """The keepalive time from ``value`` or the environment; 0: off."""
    text = os.environ.get(ENV, "") if value is None else value
    text = text.strip()
    if text == "":
        return 0.0
    try:
        seconds = float(text)
    except ValueError:
        seconds = -1.0
    if not seconds >= 0 or seconds == float("inf"):
        raise ScriptError(f'{ENV}: expected a number of seconds, got "{text}"',
                          ("TCLSMTP", "SMTP", "KEEPALIVE"))
    return seconds


def session_key(plan: "Plan") -> tuple:
    """What must be equal for two sends to share a connection: everything
    that shapes the session before MAIL."""
    auth = plan.auth
    return (plan.servers, plan.ports, plan.route, plan.client, plan.usetls, plan.tlsimport,
            plan.tlspolicy, plan.tls.key(), plan.strict_tls, plan.username, plan.password,
            plan.queue, plan.bcc_recipients is None,     # ONEX is sent without a Bcc
            None if auth is None else (auth.mechanisms, id(auth.token_provider)),
            plan.timer_cap)


class Pool:
    """Idle kept connections, by session key."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._wake = threading.Condition(self._lock)
        self._idle: dict[tuple, list[tuple["Conversation", float]]] = {}
        self._reaper: Optional[threading.Thread] = None
        self._sleeping_until: Optional[float] = None     # the reaper's wake-up time
        self._closed = False
        _POOLS.add(self)

    def take(self, key: tuple) -> Optional["Conversation"]:
        """An idle connection for ``key`` (the most recently used), or None."""
        with self._lock:
            kept = self._idle.get(key)
            if not kept:
                return None
            talk, _ = kept.pop()
            if not kept:
                del self._idle[key]
            return talk

    def give(self, key: tuple, talk: "Conversation", seconds: float) -> None:
        """Keep ``talk`` for up to ``seconds`` of idleness."""
        assert talk.wire is not None
        talk.idle()                       # holds nothing of the send that is over
        with self._lock:
            if self._closed:
                closing = True
            else:
                closing = False
                self._idle.setdefault(key, []).append((talk, time.monotonic() + seconds))
                if self._reaper is None:
                    self._reaper = threading.Thread(target=self._reap, name="tclsmtp-keepalive",
                                                    daemon=True)
                    self._reaper.start()
                elif self._sleeping_until is None:
                    # The reaper waits for a connection to watch. (One that
                    # waits for a deadline wakes before this one's, later.)
                    self._wake.notify()
        if closing:
            _quit(talk)

    def _reap(self) -> None:
        """Say QUIT to connections idle for their time, as they expire."""
        while True:
            with self._lock:
                expired: list["Conversation"] = []
                while not expired:
                    if self._closed:
                        return
                    now = time.monotonic()
                    soonest = None
                    for key in list(self._idle):
                        kept = self._idle[key]
                        expired += [t for t, at in kept if at <= now]
                        kept[:] = [(t, at) for t, at in kept if at > now]
                        if not kept:
                            del self._idle[key]
                        for _, at in kept:
                            soonest = at if soonest is None else min(soonest, at)
                    if not expired:
                        self._sleeping_until = soonest
                        self._wake.wait(None if soonest is None else soonest - now)
                        self._sleeping_until = None
            for talk in expired:
                _quit(talk)

    def close(self) -> None:
        """QUIT to every idle connection; later ones are closed as given."""
        self.quit_idle(closing=True)

    def quit_idle(self, closing: bool = False) -> None:
        """QUIT to every idle connection now."""
        with self._lock:
            self._closed = self._closed or closing
            kept = [t for conns in self._idle.values() for t, _ in conns]
            self._idle.clear()
            self._wake.notify()
        for talk in kept:
            _quit(talk)

    def __len__(self) -> int:
        with self._lock:
            return sum(len(v) for v in self._idle.values())


def _quit(talk: "Conversation") -> None:
    """An orderly goodbye that does not hold anyone up for long."""
    wire = talk.wire
    if wire is None:
        return
    wire.debug = None
    wire.timer_cap = min(wire.timer_cap, QUIT_WAIT)
    try:
        if wire.write(b"QUIT\r\n") is None:
            wire.hear("120")
    except Exception:      # noqa: BLE001 - a goodbye must not fail anyone
        pass
    wire.close()
    talk.wire = None


def pool_for(session: Any) -> Pool:
    """The Session's pool, closed by ``session.close()`` and when the Session goes."""
    pool = session.extras.get("smtp.keepalive")
    if pool is None:
        pool = session.extras["smtp.keepalive"] = Pool()
        session.closers.append(pool.close)
        weakref.finalize(session, pool.close)
    return pool


@atexit.register
def _close_all() -> None:
    for pool in list(_POOLS):
        pool.close()
