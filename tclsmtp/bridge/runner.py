"""`tclsmtp run`: a drop-in for `tclsh SCRIPT ARG...` (or wish, with --tk).

The script runs in a tkinter interpreter with tclsmtp installed, with the
globals tclsh sets (argv0, argv, argc, tcl_interactive), `info script`,
the process's stdin/stdout/stderr, `exit N`, and tclsh's reporting of an
uncaught error (errorInfo on stderr, exit status 1). After that report,
one hint line may follow (see ``_report_hint``).
"""
from __future__ import annotations

import os
import sys

import _tkinter
from _tkinter import TclError

from ..startup import start_collecting
from . import _installed, allow_inline_sends, install, session_of

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, TextIO, Union
    import tkinter

    from ..capture import Capture

    Interp = Union[tkinter.Tk, "_Tcl"]


# A plain class, not a dataclass: importing dataclasses costs a tenth of a
# short script's start-up.
class RunOptions:
    __slots__ = ("script", "args", "tk", "capture", "capture_dir", "capture_summary",
                 "capture_max_size", "route", "strict_tls")
    script: Optional[str]
    args: list[str]
    tk: bool
    capture: bool
    capture_dir: Optional[str]
    capture_summary: bool
    capture_max_size: Optional[int]          # bytes; None: no limit
    route: Optional[tuple[str, int]]
    strict_tls: Optional[bool]

    def __init__(self, script: Optional[str], args: Optional[list[str]] = None, tk: bool = False,
                 capture: bool = False, capture_dir: Optional[str] = None,
                 capture_summary: bool = False, capture_max_size: Optional[int] = None,
                 route: Optional[tuple[str, int]] = None,
                 strict_tls: Optional[bool] = None) -> None:
        self.script = script
        self.args = [] if args is None else args
        self.tk = tk
        self.capture = capture
        self.capture_dir = capture_dir
        self.capture_summary = capture_summary
        self.capture_max_size = capture_max_size
        self.route = route
        self.strict_tls = strict_tls


class _Tcl:
    """The interpreter tkinter.Tcl() makes, without loading tkinter (a
    twentieth of a short script's start-up) and without Tcl()'s
    readprofile, which sources ~/.Tk.tcl and runs ~/.Tk.py (tclsh does
    neither)."""
    __slots__ = ("tk",)

    def __init__(self) -> None:
        self.tk = _tkinter.create(None, "tclsh", "Tk", False, True, False, False, None)


def _interpreter(tk: bool, script: Optional[str]) -> Interp:
    interp: Interp
    if not tk:
        interp = _Tcl()
    else:
        import tkinter
        try:
            # As wish: the application's name and class come from the script's.
            interp = tkinter.Tk(className=os.path.basename(script or "wish"))
        except TclError as e:
            raise SystemExit(f"tclsmtp run --tk: cannot open a Tk window: {e}") from None
    _define_exit(interp)
    return interp


def _define_exit(interp: Interp) -> None:
    """Give the script tclsh's `exit`, which tkinter deletes.

    Tcl's channels are flushed in Tcl, Python's streams here, then the
    process ends at once with the status, as Tcl_Exit would.
    """
    def process_exit(status: str) -> None:
        session = _installed(interp.tk)
        if session is not None:
            session.close()            # kept SMTP connections say QUIT
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(int(status))

    interp.tk.createcommand("::tclsmtp::process_exit", process_exit)
    interp.tk.eval(r"""
        proc ::exit {{returnCode 0}} {
            if {![string is integer -strict $returnCode]} {
                return -code error -errorcode {TCL VALUE NUMBER} \
                    "expected integer but got \"$returnCode\""
            }
            foreach chan [chan names] { catch {flush $chan} }
            ::tclsmtp::process_exit [expr {$returnCode & 0xff}]
        }
    """)


def _set_globals(interp: Interp, argv0: str, args: list[str], interactive: bool) -> None:
    tk = interp.tk
    tk.call("set", "::argv0", argv0)
    tk.call("set", "::argv", tuple(args))
    tk.call("set", "::argc", len(args))
    tk.call("set", "::tcl_interactive", 1 if interactive else 0)
    # The globals tclsh/wish have, and not tkinter's own marker.
    wish = bool(tk.call("info", "commands", "tk"))
    tk.call("set", "::tcl_rcFileName", "~/.wishrc" if wish else "~/.tclshrc")
    tk.call("unset", "-nocomplain", "::_tkinter_skip_tk_init")


def _report_error(interp: Interp, error: TclError) -> None:
    # tclsh writes errorInfo (which begins with the message) to stderr.
    # (A file that cannot be read fails before errorInfo is set.)
    message = str(error)
    try:
        info = str(interp.tk.globalgetvar("errorInfo"))
    except TclError:
        info = message
    interp.tk.call("puts", "stderr", info if info.startswith(message) else message)
    _report_hint(interp, message)


def _report_hint(interp: Interp, message: str) -> None:
    """The hint line of an uncaught error, after tclsh's report of it.

    The engine sets ``ScriptError.hint`` (e.g. the host and port that
    refused the connection), the bridge files it in the session under the
    error's message, and only an error that reaches the top here with that
    message prints it: a caught error prints nothing. TCLSMTP_QUIET=1: none.
    """
    if os.environ.get("TCLSMTP_QUIET", "") not in ("", "0"):
        return
    hint = session_of(interp).hint_for(message)
    if hint:
        interp.tk.call("puts", "stderr", hint)


def run_script(interp: Interp, script: str, args: list[str], wish: bool) -> int:
    """Evaluate a script file as tclsh/wish does; returns the exit status."""
    _set_globals(interp, script, args, interactive=False)
    try:
        # evalfile is Tcl_EvalFile at level 0: `info script`, errorInfo and
        # the handling of odd return codes are exactly tclsh's.
        interp.tk.evalfile(script)
    except TclError as e:
        _report_error(interp, e)
        return 1 if wish else _end_as_tclsh(interp, 1)
    if wish:
        interp.tk.mainloop(0)          # wish keeps serving events until exit
        return 0
    return _end_as_tclsh(interp, 0)


def _end_as_tclsh(interp: Interp, status: int) -> int:
    """tclsh ends a script (or stdin) by evaluating `exit STATUS`: a script's
    own `exit` proc runs, and ours flushes every channel and ends the
    process at once (no interpreter teardown, a tenth of a short script's
    run). If the script's `exit` returns, main's clean-up follows."""
    try:
        interp.tk.call("uplevel", "#0", ("exit", status))
    except TclError:
        pass
    return status


def run_stdin(interp: Interp, stdin: TextIO, stdout: TextIO) -> int:
    """Commands from stdin, as tclsh does without a script argument.

    On a terminal: the "% " prompt, each result echoed. Otherwise: commands
    are evaluated quietly, errors reported on stderr, and reading goes on.
    """
    interactive = stdin.isatty()
    _set_globals(interp, sys.argv[0] if interactive else "tclsh", [], interactive)
    tk = interp.tk
    if interactive:                     # tclsh reads ~/.tclshrc at its prompt
        rc = os.path.expanduser(str(tk.globalgetvar("tcl_rcFileName")))
        if os.path.isfile(rc):
            try:
                tk.evalfile(rc)
            except TclError as e:
                _report_error(interp, e)
    buffer = ""
    while True:
        if interactive:
            stdout.write("% " if not buffer else "")
            stdout.flush()
        line = stdin.readline()
        if not line:
            return _end_as_tclsh(interp, 0)
        buffer += line
        if not tk.call("info", "complete", buffer):
            continue
        command, buffer = buffer, ""
        try:
            result = tk.eval(command)
        except TclError as e:
            tk.call("puts", "stderr", str(e))
            _report_hint(interp, str(e))
            continue
        if interactive and result != "":
            tk.call("puts", "stdout", result)


def _signals_as_tclsh() -> None:
    """SIGINT (and SIGTERM) end the process at once, killed by the signal, as
    they end tclsh (which handles neither). Python's KeyboardInterrupt
    would only be raised between Tcl commands (never in `while 1 {}`),
    reach a `catch` as an empty error, and let a send go on in its worker
    thread; killed, the process leaves a send without its final "." and
    the kernel closes its socket, so the server delivers nothing."""
    import signal
    # Python turns SIGINT into KeyboardInterrupt unless it was ignored when
    # the process started (a background job); SIGTERM it leaves alone.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        try:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        except ValueError:                 # not the main thread: leave it
            pass


def main(options: RunOptions) -> int:
    _signals_as_tclsh()
    interp = _interpreter(options.tk, options.script)
    capture: Optional["Capture"] = None
    route = options.route
    if options.capture:
        from ..capture import Capture      # aiosmtpd: only when capturing
        capture = Capture(out=sys.stdout, directory=options.capture_dir,
                          max_size=options.capture_max_size,
                          summary=options.capture_summary).start()
        route = capture.route
        # Keep the script's own output in order with the printed captures.
        interp.tk.call("fconfigure", "stdout", "-buffering", "line")
    session = install(interp, strict_tls=options.strict_tls, route=route)
    allow_inline_sends(interp)          # the only interpreter in this thread
    start_collecting()                  # off for start-up (cli.main)
    try:
        if options.script is None:
            return run_stdin(interp, sys.stdin, sys.stdout)
        return run_script(interp, options.script, options.args, options.tk)
    finally:
        try:
            interp.tk.call("flush", "stdout")
        except TclError:
            pass
        session.close()                # before the capture server stops
        if capture is not None:
            capture.stop()
