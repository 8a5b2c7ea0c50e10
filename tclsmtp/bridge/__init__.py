"""The in-process transport: the only code that touches tkinter.

``install(interp)`` registers one Tcl command, ``::tclsmtp::invoke``, that
carries every primitive call, sources tcl/tclsmtp.tcl and registers the
``mime``, ``smtp`` (and, where tcl-tls is absent, ``tls``) packages so that
``package require`` finds ours ahead of any tcllib on auto_path.
"""
from __future__ import annotations

import itertools
import os
import threading
import weakref

import _tkinter

from ..mime.charsets import tkinter_form
from ..primitives import answer, debug_enabled  # noqa: F401  (debug_enabled: for importers)
from ..session import Route, Session, register_finder
from ..tcllist import tcl_list
from .paths import tcl_dir

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional

# Sessions by tkapp, so Python code can reach tokens of an installed interp.
# Sessions by a number each installed interpreter keeps in
# ::tclsmtp::session. (Not by id() of the tkapp: a new interpreter may reuse
# a dead one's id.) Only the interpreter's ::tclsmtp::invoke command holds a
# session, so it goes when the interpreter does.
_SESSIONS: "weakref.WeakValueDictionary[str, Session]" = weakref.WeakValueDictionary()
_NUMBERS = itertools.count(1)


def _tkapp(interp: Any) -> Any:
    """The _tkinter app of a tkinter.Tcl()/Tk() object (or the app itself)."""
    return getattr(interp, "tk", interp)


def session_of(interp: Any) -> Session:
    """The Session of an interpreter that install() was called on."""
    session = _installed(_tkapp(interp))
    if session is None:
        raise RuntimeError("tclsmtp.install() has not been called on this interpreter")
    return session


def _installed(tk: Any) -> Optional[Session]:
    try:
        number = tk.globalgetvar("::tclsmtp::session")
    except _tkinter.TclError:
        return None
    return _SESSIONS.get(str(number))


def _find_session(interp: Any) -> Optional[Session]:
    """For tclsmtp.session.session_of: the Session of an installed interpreter."""
    tk = _tkapp(interp)
    return _installed(tk) if hasattr(tk, "globalgetvar") else None


register_finder(_find_session)


def _tkapp_getter(interp: Any) -> Callable[[], Any]:
    """The interpreter's tkapp, or None once its tkinter wrapper is gone.

    The tkinter wrapper is held weakly: the session (and so the callables
    made here) may be dropped last by a send's worker thread, and a tkapp
    freed outside its own thread makes Tcl abort ("async handler deleted by
    the wrong thread").
    """
    tk = _tkapp(interp)
    try:
        owner = weakref.ref(interp) if interp is not tk else None
    except TypeError:
        owner = None
    if owner is None:                   # a bare tkapp: its caller keeps it
        return lambda: tk
    del tk

    def live() -> Any:
        wrapper = owner()
        return None if wrapper is None else _tkapp(wrapper)
    return live


def _make_quiet(live: Callable[[], Any]) -> Callable[[], bool]:
    """Whether the interpreter's event loop has nothing it could run (see
    ::tclsmtp::no_event_sources): then a send runs what tcllib's vwait
    would run, nothing, whether or not it services the loop."""
    def quiet() -> bool:
        tk = live()
        if tk is None:
            return False
        try:
            return tk.call("::tclsmtp::no_event_sources") in (1, "1")
        except _tkinter.TclError:       # the script deleted our procs: be safe
            return False
    return quiet


def allow_inline_sends(interp: Any) -> None:
    """Let sends from ``interp`` run on its thread when it has no event
    source (session.quiet). Only for an interpreter alone in its thread, as
    under `tclsmtp run`: an application's other interpreters (a Tk window
    next to a tkinter.Tcl() for scripts) share the thread's event loop, and
    their events are serviced only while a send waits in session.wait."""
    session_of(interp).quiet = _make_quiet(_tkapp_getter(interp))


def _make_wait(live: Callable[[], Any], quiet: Callable[[], bool]):
    """Block on an event while the interpreter's event loop keeps running.

    tcllib waits with vwait, so after timers, file events and Tk redraws are
    serviced during a send; scripts rely on it. What is pending runs first,
    as under vwait, unless the interpreter has no event source at all
    (``quiet``: a pass costs ~80 us in a threaded Tcl). Completion wakes us
    at once (Event.wait returns when set); the 10 ms slice only bounds how
    late a Tcl event is serviced.
    """
    def wait(event: threading.Event) -> None:
        tk = live()
        if tk is None:                  # the wrapper is gone: nothing to service
            event.wait()
            return

        def service_pending() -> None:
            while tk.dooneevent(_tkinter.DONT_WAIT):
                if event.is_set():
                    return
        if not quiet():
            service_pending()
        while not event.wait(0.01):
            service_pending()
    return wait


def _make_dispatch(session: Session):
    def dispatch(op: str = "", *args: str) -> tuple:
        # Never let an exception escape: tkinter would hand Tcl an empty
        # message. Every failure becomes {error message errorcode code}.
        result = answer(session, op, args)
        if result[0] == "ok":
            value = result[1]
            if _nul_beyond_latin1(value):
                return ("utf8", _utf8_form(value))
            return ("ok", _tk_safe(value))
        _, message, errorcode, code = result
        if _nul_beyond_latin1(message):
            return ("error-utf8", _utf8_form(message), errorcode, code)
        return ("error", _tk_safe(message), errorcode, code)

    return dispatch


def _nul_beyond_latin1(value: Any) -> bool:
    """A str (or a list holding one) with a NUL and a character above U+00FF.

    tkinter makes such a str a Tcl Unicode object whose string form gets the
    NUL wrong (Tcl 8.6 shows a copy of the character before it), so these go
    as UTF-8 bytes that ::tclsmtp::call converts back ("utf8" and
    "error-utf8" answers).
    """
    if isinstance(value, str):
        return "\x00" in value and not value.isascii() and max(value) > "\xff"
    if isinstance(value, (list, tuple)):
        return any(_nul_beyond_latin1(v) for v in value)
    return False


def _utf8_form(value: Any) -> bytes:
    text = value if isinstance(value, str) else tcl_list(value)
    return text.encode("utf-8", "surrogatepass")


def _tk_safe(value: Any) -> Any:
    """A result as tkinter must receive it to give Tcl the right string.

    - A str holding NUL becomes a Tcl string with a raw NUL byte, which
      string commands (string toupper, ...) read as its end; the same
      characters as bytes arrive whole when all are below U+0100.
    - A lone surrogate (Tcl 8.6 strings may hold one) crashes _tkinter; it
      goes as its UTF-8 bytes, surrogate-escaped, which tkinter passes on.
    """
    if isinstance(value, str):
        if "\x00" in value and max(value) <= "\xff":
            return value.encode("latin-1")
        # isascii() is a fast C check; the surrogate search is not (0.6 s
        # over a 40 MB message).
        return value if value.isascii() else tkinter_form(value)
    if isinstance(value, (list, tuple)):
        return [_tk_safe(v) for v in value]
    return value


def _release_with(interp: Any, tk: Any) -> None:
    """Delete ::tclsmtp::invoke when the tkinter wrapper is dropped.

    A command made with createcommand holds its tkapp (and, here, the
    session) from C, where Python's collector cannot see it: the
    interpreter would never be deleted (~340 KB each). tkinter's own
    commands go in destroy(), which tkinter.Tcl() objects never get; ours
    go with the tkinter object install() was given. Given a bare tkapp,
    the caller keeps that cycle (deletecommand releases it).
    """
    if interp is tk:
        return
    owner = threading.get_ident()

    def release() -> None:
        # tkinter sends a call from another thread to the interpreter's
        # thread and waits for it to be served: never from a finalizer
        if threading.get_ident() != owner:
            return
        try:
            tk.deletecommand("::tclsmtp::invoke")
        except Exception:       # the interpreter is already gone
            pass
    try:
        weakref.finalize(interp, release)
    except TypeError:           # an object without weak references
        pass


def install(interp: Any, *, strict_tls: bool | None = None,
            route: tuple[str, int] | None = None,
            config: "str | os.PathLike[str] | None" = None) -> Session:
    """Make ``package require smtp``/``mime`` in ``interp`` load tclsmtp.

    ``strict_tls`` requires verified certificates and refuses credentials in
    clear (default: the TCLSMTP_STRICT_TLS environment variable, else off).
    ``route`` sends every message to (host, port) whatever the script names.
    ``config``: the accounts file (docs/accounts.md) instead of
    $TCLSMTP_CONFIG or the usual places.
    Returns the interpreter's Session. Calling it again is harmless.
    """
    tk = _tkapp(interp)
    session = _installed(tk)
    if session is None:
        session = Session()
        live = _tkapp_getter(interp)
        session.wait = _make_wait(live, _make_quiet(live))
        tk.createcommand("::tclsmtp::invoke", _make_dispatch(session))
        _release_with(interp, tk)
        tk.call("source", str(tcl_dir() / "tclsmtp.tcl"))
        tk.call("::tclsmtp::register_packages", str(tcl_dir()))
        number = str(next(_NUMBERS))
        _SESSIONS[number] = session
        tk.globalsetvar("::tclsmtp::session", number)
    if strict_tls is None:
        strict_tls = os.environ.get("TCLSMTP_STRICT_TLS", "") not in ("", "0")
    session.strict_tls = strict_tls
    if route is not None:
        session.route = Route(*route)
    if config is not None:
        from ..accounts.apply import set_config
        set_config(session, config)
    return session


def new_interpreter(*, tk: bool = False, **install_options: Any) -> Any:
    """A fresh tkinter.Tcl() (or Tk(), with ``tk=True``) with tclsmtp installed.

    For Python code that wants an interpreter without importing tkinter
    itself; ``install_options`` are install()'s.
    """
    import tkinter
    interp = tkinter.Tk() if tk else tkinter.Tcl()
    install(interp, **install_options)
    return interp
