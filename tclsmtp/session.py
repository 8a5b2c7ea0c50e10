"""Per-interpreter state shared by the engines: the mime tokens and settings.

A Session knows nothing of Tcl. A transport (today the in-process tkinter
bridge) creates one per interpreter and routes primitive calls to it.
"""
from __future__ import annotations

import itertools
import os
import threading
from collections import OrderedDict

from .errors import ScriptError

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional


# Plain classes, not dataclasses: importing dataclasses costs a tenth of a
# short script's start-up.
class Route:
    """Where every send goes instead of the script's -servers/-ports."""
    __slots__ = ("host", "port")
    host: str
    port: int

    def __init__(self, host: str, port: int) -> None:
        self.host = host
        self.port = port


class Signal(threading.Event):
    """What ``Session.wait`` waits for: an Event that also calls
    ``on_set`` (when a waiter gave one) each time it is set. The helper
    wakes its select() with it, instead of starting a thread per wait to
    block in wait() (docs/architecture.md)."""
    on_set: Optional[Callable[[], None]] = None

    def set(self) -> None:
        super().set()
        on_set = self.on_set
        if on_set is not None:
            on_set()


def _wait(event: Signal) -> None:
    event.wait()


def _never_quiet() -> bool:
    return False


class Session:
    # (__weakref__: keepalive.py and the bridge keep weak references)
    __slots__ = ("tokens", "_uid", "route", "strict_tls", "wait", "quiet", "pid", "extras",
                 "hints", "closers", "__weakref__")
    tokens: dict[str, Any]
    # tcllib numbers tokens ::mime::1, ::mime::2, ... from one counter.
    _uid: Any
    # Capture mode: every send goes here, whatever the script names.
    route: Optional[Route]
    # Strict TLS: verified certificates, matching host names, no credentials
    # in clear. Off by default, as tcllib.
    strict_tls: bool
    # Set by the transport: block until the event is set while keeping the
    # interpreter's event loop serviced (after timers, file events, Tk).
    wait: Callable[[Signal], None]
    # Set by the transport: True when nothing in the interpreter could run
    # while a send waits (no timer, channel handler, Tk...), so a send may
    # run on the interpreter's own thread. False when the transport can't tell.
    quiet: Callable[[], bool]
    # The interpreter's process id (Tcl's [pid]; tcllib puts it in unique IDs).
    # The helper transport runs in a child of the interpreter's process.
    pid: int
    # Anything an engine wants to keep per interpreter (handles, callables).
    extras: dict[str, Any]
    # Hint lines of recent errors, by the error message the script saw.
    hints: "OrderedDict[str, str]"
    # What close() runs: engines register here what they keep open (the
    # smtp engine's kept connections, which then get their QUIT).
    closers: list[Callable[[], None]]

    def __init__(self, tokens: Optional[dict[str, Any]] = None, _uid: Any = None,
                 route: Optional[Route] = None, strict_tls: bool = False,
                 wait: Callable[[Signal], None] = _wait,
                 quiet: Callable[[], bool] = _never_quiet, pid: Optional[int] = None,
                 extras: Optional[dict[str, Any]] = None,
                 hints: "Optional[OrderedDict[str, str]]" = None,
                 closers: Optional[list[Callable[[], None]]] = None) -> None:
        self.tokens = {} if tokens is None else tokens
        self._uid = itertools.count(1) if _uid is None else _uid
        self.route = route
        self.strict_tls = strict_tls
        self.wait = wait
        self.quiet = quiet
        self.pid = os.getpid() if pid is None else pid
        self.extras = {} if extras is None else extras
        self.hints = OrderedDict() if hints is None else hints
        self.closers = [] if closers is None else closers

    def close(self) -> None:
        """The interpreter is going (``exit``, the end of a run, deletion):
        every transport calls this. Safe to call more than once."""
        for closer in list(self.closers):
            try:
                closer()
            except Exception:      # noqa: BLE001 - one engine must not stop another
                pass

    def new_token(self, obj: Any) -> str:
        token = f"::mime::{next(self._uid)}"
        self.tokens[token] = obj
        return token

    def add_token(self, token: str, obj: Any) -> None:
        self.tokens[token] = obj

    def lookup(self, token: str) -> Any:
        """The object behind a token; tcllib's error for an unknown one."""
        try:
            return self.tokens[token]
        except KeyError:
            # tcllib: `upvar 0 $token state` then reading state(...) fails so.
            raise ScriptError(f'can\'t read "{token}(value)": no such variable',
                              ("TCL", "READ", "VARNAME")) from None

    def forget(self, token: str) -> None:
        self.tokens.pop(token, None)

    # -- hints: what tcllib's error text leaves out, for whoever reports it

    MAX_HINTS = 16

    def note_hint(self, message: str, hint: str) -> None:
        """Keep ``hint`` for an error whose message is ``message`` (the
        bridge does this for every ScriptError with a ``hint``)."""
        self.hints.pop(message, None)
        self.hints[message] = hint
        while len(self.hints) > self.MAX_HINTS:
            self.hints.popitem(last=False)

    def hint_for(self, message: str) -> Optional[str]:
        """The hint of the latest error with this message, if any: a runner
        asks with the message of an error the script did not catch."""
        return self.hints.get(message)

# How a transport finds the Session of one of its interpreters (the tkinter
# bridge registers one), so engine code such as sasl.configure_auth(interp)
# can take an interpreter without importing a transport.
_FINDERS: list[Callable[[Any], Optional[Session]]] = []


def register_finder(finder: Callable[[Any], Optional[Session]]) -> None:
    if finder not in _FINDERS:
        _FINDERS.append(finder)


def session_of(target: Any) -> Session:
    """``target`` itself if it is a Session, else the Session a transport
    keeps for it (an installed tkinter interpreter)."""
    if isinstance(target, Session):
        return target
    for finder in _FINDERS:
        session = finder(target)
        if session is not None:
            return session
    raise RuntimeError("tclsmtp.install() has not been called on this interpreter")
