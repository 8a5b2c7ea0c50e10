"""The `tclsmtp` command: run Tcl scripts with tclsmtp's packages, compare
them with tcllib."""
from __future__ import annotations

import os
import sys

from . import __version__
from .startup import stop_collecting

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional
    import argparse

DESCRIPTION = """\
tclsmtp runs Tcl scripts that use tcllib's smtp and mime packages with
tclsmtp's Python implementation of them: `package require smtp` and
`package require mime` load tclsmtp (reporting versions 1.5.2 and 1.7.2)
even where tcllib is installed.

Run `tclsmtp COMMAND --help` for each command's options and the environment
variables it reads.

`tclsmtp-tclsh` and `tclsmtp-wish` are `tclsmtp run` and `tclsmtp run --tk`
as one word, for shebang lines and crontabs; `tclsmtp shims` and `tclsmtp
tcl-path` serve plain tclsh, wish and embedded Tcl. docs/switching.md says
how to move a cron job, a shebang script, a systemd unit or a wish
application.
"""

RUN_DESCRIPTION = """\
Run SCRIPT as `tclsh SCRIPT ARG...` would: argv0, argv, argc and
`info script` are set as tclsh sets them; the script has the process's
stdin, stdout and stderr; `exit N` exits with status N; an uncaught error
prints errorInfo on stderr and exits with status 1; the end of the script
(or of stdin) evaluates `exit`, as in tclsh, so a script's own `exit` proc
runs; vwait-based event loops work. Without SCRIPT, commands are read
from stdin (with a "% " prompt on a terminal), as tclsh does.

Capture mode (--capture) starts an SMTP server on 127.0.0.1 and sends
every smtp::sendmessage of the script to it, whatever -servers and -ports
the script names: for each delivered message it prints the envelope
(MAIL FROM, RCPT TO) and the message as received (--capture-summary: the
headers and the MIME structure with part sizes instead). Nothing leaves
the machine. Messages of any size are taken (--capture-max-size sets a
limit).

environment:
  TCLSMTP_CONFIG=FILE        the accounts file (docs/accounts.md): servers,
                             credentials, OAuth, the delivery log
  TCLSMTP_STRICT_TLS=1       the same as --strict-tls
  TCLSMTP_DEBUG=1            internal errors show a Python traceback (--debug)
  TCLSMTP_SMTP_MAX_WAIT=SECS no single wait of a send lasts longer (tcllib's
                             cap, and the default: 600)
  TCLSMTP_KEEPALIVE=SECS     keep each SMTP session open that long for the
                             next send to the same server (RSET between
                             messages; default: off, one connection a send)
  TCLSMTP_AUTH_MECHANISMS=M  the AUTH mechanisms to try, e.g. XOAUTH2: the
                             script's -password is then sent as a token
                             (docs/auth.md)
  TCLSMTP_QUIET=1            no hint line after an uncaught error
  USERDOMAIN                 NTLM: the domain of a -username without one
  DISPLAY                    --tk: the X display
  HOME                       ~ in a file name (mime -file, -canonical ...)
  XDG_CONFIG_HOME, APPDATA   where the user's accounts file is looked for
                             (docs/accounts.md)
  TCLSMTP_ROUTE=HOST:PORT    plain tclsh/wish with `tclsmtp tcl-path` (the
                             helper): what --route is for `tclsmtp run`
  XDG_DATA_HOME              `tclsmtp tcl-path`: where its directory goes when
                             this Python's prefix is not writable

`tclsmtp-tclsh ARGS` is `tclsmtp run ARGS`, and `tclsmtp-wish ARGS` is
`tclsmtp run --tk ARGS`: one word, for `#!` lines and crontabs.
"""


TCL_PATH_DESCRIPTION = """\
Print a directory (writing it first if needed) to put on TCLLIBPATH, or to
lappend to auto_path, so that `package require smtp` and `package require
mime` in a plain tclsh or wish, or in a Tcl interpreter embedded in another
program, load tclsmtp instead of tcllib. Each interpreter then starts one
helper process, `PYTHON -m tclsmtp serve`, with the Python this command ran
under (recorded in the directory: run it again after moving that Python).

  export TCLLIBPATH="$(tclsmtp tcl-path)"
  tclsh report.tcl

Default directory: share/tclsmtp/tcl under this Python's prefix (a
virtualenv), else ~/.local/share/tclsmtp/. In the interpreter,
`puts [package ifneeded smtp [package present smtp]]` shows which smtp
was loaded.

environment:
  XDG_DATA_HOME   where the default directory goes outside a virtualenv
                  (default ~/.local/share)
The helper processes read the variables `tclsmtp serve --help` lists.
"""

SERVE_DESCRIPTION = """Serve one Tcl interpreter's primitive calls on stdin/stdout (started by
tclsmtp's helper.tcl).

environment:
  TCLSMTP_ROUTE=HOST:PORT   send every message there (as `tclsmtp run --route`)
  and those `tclsmtp run --help` lists for sends (TCLSMTP_STRICT_TLS,
  TCLSMTP_SMTP_MAX_WAIT, TCLSMTP_AUTH_MECHANISMS, TCLSMTP_CONFIG, ...)
"""

SHIMS_DESCRIPTION = """\
Write DIR/tclsh and DIR/wish: small sh scripts that run `tclsmtp run` and
`tclsmtp run --tk` with this Python (by its absolute path). With DIR first
on PATH (a crontab's PATH= line, a systemd unit's Environment=PATH=...),
`tclsh report.tcl` and scripts starting `#!/usr/bin/env tclsh` run under
tclsmtp without an edit.
"""


def _route(text: str) -> tuple[str, int]:
    import argparse
    host, sep, port = text.rpartition(":")
    if not sep or not host or not port.isdigit():
        raise argparse.ArgumentTypeError(f"expected HOST:PORT, got {text!r}")
    return host.strip("[]"), int(port)


def _size(text: str) -> int:
    import argparse
    if not text.isdigit() or int(text) == 0:
        raise argparse.ArgumentTypeError(f"expected a number of bytes, got {text!r}")
    return int(text)


def _parser() -> argparse.ArgumentParser:
    import argparse             # (not for a plain `run SCRIPT ARG...`: see main)
    parser = argparse.ArgumentParser(
        prog="tclsmtp", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"tclsmtp {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    run = commands.add_parser(
        "run", help="run a script as tclsh would (or wish, with --tk); with --capture, "
                    "deliver its mail to an embedded server and print it instead", description=RUN_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="tclsmtp run [options] [SCRIPT [ARG ...]]")
    run.add_argument("--tk", action="store_true",
                     help="run in a Tk interpreter and keep serving events after the "
                          "script, as wish does (needs a display)")
    run.add_argument("--capture", action="store_true",
                     help="deliver every message to an embedded SMTP server on "
                          "loopback and print it, instead of sending it anywhere")
    run.add_argument("--capture-dir", metavar="DIR",
                     help="with --capture, also save each message as DIR/message-NNN.eml "
                          "(its envelope beside it as message-NNN.json), numbered after "
                          "the messages already there")
    run.add_argument("--capture-summary", action="store_true",
                     help="with --capture, print only the envelope, the headers and the "
                          "MIME structure with each part's size, not the whole message")
    run.add_argument("--capture-max-size", metavar="BYTES", type=_size,
                     help="with --capture, refuse messages larger than this (552), as a "
                          "server with SIZE BYTES would; default: no limit")
    run.add_argument("--route", metavar="HOST:PORT", type=_route,
                     help="send every message to this SMTP server, whatever the "
                          "script's -servers and -ports say")
    run.add_argument("--strict-tls", action="store_true", default=None,
                     help="require a verified certificate with a matching host name, "
                          "and never send credentials in clear")
    run.add_argument("--debug", action="store_true",
                     help="show Python tracebacks of internal errors")
    run.add_argument("script", nargs="?", metavar="SCRIPT", help="the Tcl script to run")
    run.add_argument("args", nargs=argparse.REMAINDER, metavar="ARG",
                     help="arguments for the script (its argv)")

    commands.add_parser("compat", help="run a script under tcllib and under tclsmtp and "
                                       "compare them",
                        add_help=False)
    commands.add_parser("accounts", help="list and check the accounts of the accounts file "
                                         "(docs/accounts.md), sign in to a mailbox",
                        add_help=False)

    tcl_path = commands.add_parser(
        "tcl-path", help="print a directory for TCLLIBPATH that gives any Tcl interpreter "
                         "tclsmtp", description=TCL_PATH_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    tcl_path.add_argument("--dir", metavar="DIR",
                          help="write the directory here instead of the default")
    shims = commands.add_parser(
        "shims", help="write tclsh and wish commands that run tclsmtp into DIR",
        description=SHIMS_DESCRIPTION, formatter_class=argparse.RawDescriptionHelpFormatter)
    shims.add_argument("dir", metavar="DIR", help="the directory (created if missing)")
    commands.add_parser("serve", help="the helper process of `tcl-path` (started by Tcl)",
                        description=SERVE_DESCRIPTION,
                        formatter_class=argparse.RawDescriptionHelpFormatter)
    return parser


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] in ("run", "serve"):
        # until the script starts (bridge.runner.main) or the helper serves
        # (helper.serve.main): see startup.py
        stop_collecting()
    if argv and argv[0] == "compat":       # it parses its own arguments
        from .compat.cli import main as compat_main
        return compat_main(argv[1:])
    if argv and argv[0] == "accounts":
        from .accounts_cli import main as accounts_main
        return accounts_main(argv[1:])
    if len(argv) >= 2 and argv[0] == "run" and not argv[1].startswith("-"):
        # A script and its arguments, no options (shebang lines, crontabs):
        # what argparse makes of it, without loading argparse (a twentieth
        # of a short script's run).
        from .bridge.runner import RunOptions, main as run_main
        return run_main(RunOptions(script=argv[1], args=argv[2:]))
    parser = _parser()
    ns = parser.parse_args(argv)
    if ns.command is None:
        parser.print_help()
        return 2
    if ns.command == "serve":
        from .helper.serve import main as serve_main
        return serve_main()
    if ns.command == "tcl-path":
        from .helper.tclpath import write_tcl_path
        print(write_tcl_path(ns.dir))
        return 0
    if ns.command == "shims":
        from .shims import write_shims
        for path in write_shims(ns.dir):
            print(path)
        return 0
    for option in ("capture_dir", "capture_summary", "capture_max_size"):
        if getattr(ns, option) and not ns.capture:
            parser.error(f"--{option.replace('_', '-')} needs --capture")
    if ns.capture and ns.route:
        parser.error("--capture and --route are exclusive")
    if ns.debug:
        os.environ["TCLSMTP_DEBUG"] = "1"
    from .bridge.runner import RunOptions, main as run_main
    return run_main(RunOptions(script=ns.script, args=ns.args, tk=ns.tk, capture=ns.capture,
                               capture_dir=ns.capture_dir,
                               capture_summary=ns.capture_summary,
                               capture_max_size=ns.capture_max_size, route=ns.route,
                               strict_tls=ns.strict_tls))


def tclsh_main() -> int:
    """The ``tclsmtp-tclsh`` console script: exactly ``tclsmtp run``."""
    return main(["run", *sys.argv[1:]])


def wish_main() -> int:
    """The ``tclsmtp-wish`` console script: exactly ``tclsmtp run --tk``."""
    return main(["run", "--tk", *sys.argv[1:]])
