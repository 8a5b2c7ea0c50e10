"""`tclsmtp compat`: run scripts under tcllib and under tclsmtp, and compare."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Optional

from .documented import closest_entries, compat_doc_path, documented_entry
from .config import ConfigError, ScriptConfig, apply_directive, read_directives
from .sides import ReferenceMissing, prelude_text

EXIT_MATCH, EXIT_DIFFERENT, EXIT_USAGE, EXIT_NO_REFERENCE = 0, 1, 2, 3

DESCRIPTION = """\
Run SCRIPT twice with the same arguments and stdin: under tclsh with tcllib
(the reference) and under tclsmtp (`tclsmtp run`), each against its own
recording SMTP server on 127.0.0.1 with the same setup. Then compare: exit
status, stdout, stderr, smtp's -debug lines, every SMTP conversation line by
line (client and server), and every message sent, envelope and bytes.

How the script reaches the recording server:
  placeholders  ARGs may contain {server} and {port} (replaced with the
                recording server's address), {deadport} (a port where
                nothing listens, for failover), {cafile} (the CA that signed
                the server's certificate, for tls::init -cafile) and {dir}
                (the script's directory). With {server} or {port} in the
                ARGs, nothing else is changed.
  redirect      otherwise every connection smtp::sendmessage opens goes to
                the recording server, whatever -servers/-ports say (tclsmtp:
                `tclsmtp run --route`; tcllib: a prelude on TCLLIBPATH, see
                --show-prelude). Use --no-redirect to turn it off.

Values that differ on every run are normalized before comparing: generated
Message-ID/Content-ID values, boundaries, the current date, SIZE= when only
those changed it, the EHLO client name (redirect only), ports and channel
names, and error-trace frames inside the packages. docs/compat-harness.md
lists the rules.

The reference is the tclsh on PATH with the tcllib it finds (your
production setup), or the tcllib in --tcllib DIR. tclsmtp implements tcllib
2.0 (mime 1.7.2, smtp 1.5.2). Against an older tcllib (Debian 12's 1.21:
mime 1.7.0) one wire difference is treated as equal -- 1.7.0 writes a
multipart boundary= parameter twice; others show (docs/compat.md lists
them: e.g. 1.7.0 reads CRLF headers with a stray "]").

A script may carry its setup in comment lines, which options override:
  # compat: args {server} {port} ops@example.com
  # compat: tls starttls            (or implicit, none)
  # compat: auth PLAIN LOGIN        (mechanisms offered; needs user)
  # compat: user alice s3cret
  # compat: refuse nobody@example.com 550 5.1.1 no such user
  # compat: refuse-sender spam@example.com 553 5.7.1 sender refused
  # compat: data-reply 554 5.7.1 looks like spam
  # compat: size none               (or a number: the SIZE advertised)
  # compat: ehlo no                 (an RFC 821 server: HELO only)
  # compat: pipelining yes          (offer PIPELINING, RFC 2920)
  # compat: greeting 421 busy       (say this instead of 220, hang up)
  # compat: stdin input.txt         (relative to the script)
  # compat: timeout 60
  # compat: difference "TEXT"       (a deliberate difference, see below)

A deliberate difference is declared with `difference "TEXT"`, TEXT quoting
its entry in docs/compat.md (the copy installed with tclsmtp); the expected
diff is kept beside the script as SCRIPT.tcl.expected.diff, and the run
passes only when its diff is exactly that one. `--accept-difference TEXT`
writes that file from the current run; TEXT must be found in an entry of
docs/compat.md (else exit 2, listing the closest entries).

environment: both runs get this process's environment (tclsmtp's side reads
the variables `tclsmtp run --help` lists, e.g. TCLSMTP_SMTP_MAX_WAIT, and
runs with TCLSMTP_QUIET=1: tcllib prints no hint lines);
  TCLLIBPATH   where the reference's tclsh finds tcllib (with redirect, the
               harness puts its prelude's directory first)
  PATH         where --tclsh (default: tclsh) is found
(When tclsmtp's side is a plain tclsh with the `tclsmtp tcl-path` helper, the
harness sets TCLSMTP_ROUTE for it instead of `--route`.)

exit status: 0 the runs match (or differ exactly as documented), 1 they
differ, 2 usage error, 3 tclsh or tcllib is missing.

examples:
  tclsmtp compat nightly_report.tcl /var/log/backup.log
  tclsmtp compat --report out.html send.tcl -- {server} {port}
  tclsmtp compat --starttls --auth PLAIN --user bob:pw notify.tcl
  tclsmtp compat --corpus compat/scripts --jobs 4 --report corpus.html
  tclsmtp compat --tcllib ~/src/tcllib-2.0/modules send.tcl
"""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="tclsmtp compat", description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
        usage="tclsmtp compat [options] SCRIPT [ARG ...]\n"
              "       tclsmtp compat [options] --corpus DIR")
    p.add_argument("--report", metavar="FILE.html",
                   help="also write a side-by-side HTML report")
    p.add_argument("--corpus", metavar="DIR",
                   help="compare every *.tcl script in DIR (setup from each script's "
                        "# compat: lines) and print one line per script as each "
                        "finishes: N/M, seconds since the start, the verdict")
    p.add_argument("--jobs", "-j", type=int, default=0, metavar="N",
                   help="with --corpus: scripts compared at once (default: one per CPU, at least 2)")
    p.add_argument("--tclsh", default="tclsh", metavar="PATH",
                   help="the reference tclsh (default: tclsh on PATH)")
    p.add_argument("--tcllib", metavar="DIR",
                   help="compare against the tcllib in DIR (put in front of TCLLIBPATH, so "
                        "its mime and smtp win over the installed ones), e.g. tcllib 2.0's "
                        "modules folder; default: the tcllib tclsh finds")
    p.add_argument("--stdin", metavar="FILE",
                   help="feed FILE to both runs' stdin ('-': what tclsmtp compat reads "
                        "on its own stdin); default: an empty stdin")
    p.add_argument("--timeout", type=float, metavar="SECONDS",
                   help="kill a run after this long (default 60)")
    p.add_argument("--cwd", metavar="DIR", help="run both sides in DIR (default: here)")
    p.add_argument("--transport", choices=("bridge", "helper"), default="bridge",
                   help="how the tclsmtp side runs: `tclsmtp run SCRIPT` (bridge, the "
                        "default) or the reference tclsh with TCLLIBPATH from "
                        "`tclsmtp tcl-path` (helper; the route then goes in "
                        "TCLSMTP_ROUTE)")
    g = p.add_argument_group("the recording server")
    g.add_argument("--starttls", action="store_const", const="starttls", dest="tls",
                   help="offer STARTTLS (certificate from a throw-away CA: {cafile})")
    g.add_argument("--implicit-tls", action="store_const", const="implicit", dest="tls",
                   help="TLS from the first byte (for -tlsimport 1)")
    g.add_argument("--auth", metavar="MECHS",
                   help="AUTH mechanisms to offer, comma-separated (needs --user)")
    g.add_argument("--user", metavar="NAME:PASSWORD", help="the credentials it accepts")
    g.add_argument("--size", metavar="N|none", help="the SIZE it advertises (default 33554432)")
    g.add_argument("--refuse", action="append", default=[], metavar="ADDR=REPLY",
                   help="refuse this recipient with this reply (repeatable), e.g. "
                        "'x@example.com=550 5.1.1 no such user'")
    g.add_argument("--refuse-sender", action="append", default=[], metavar="ADDR=REPLY",
                   help="refuse this MAIL FROM address with this reply")
    g.add_argument("--data-reply", metavar="REPLY", help="the reply to every final dot")
    g.add_argument("--no-ehlo", action="store_true", help="refuse EHLO (HELO only)")
    g.add_argument("--pipelining", action="store_true",
                   help="offer PIPELINING (RFC 2920) after EHLO")
    m = p.add_argument_group("comparing")
    m.add_argument("--redirect", action="store_true", default=None,
                   help="redirect every send even when ARGs contain {port}")
    m.add_argument("--no-redirect", action="store_false", dest="redirect",
                   help="never redirect; the script names its servers itself")
    m.add_argument("--ignore-debug", action="store_true",
                   help="show, but do not count, differences in -debug lines")
    m.add_argument("--no-directives", action="store_true",
                   help="ignore the script's # compat: lines")
    m.add_argument("--self-check", action="store_true",
                   help="run the reference on both sides: shows that the script and the "
                        "normalization are deterministic (any difference is not tclsmtp's)")
    m.add_argument("--accept-difference", metavar="TEXT",
                   help="declare the script's current diff as the deliberate difference "
                        "TEXT names (text of an entry of docs/compat.md) and write it as "
                        "SCRIPT.tcl.expected.diff (read it first: it must be exactly that "
                        "difference)")
    m.add_argument("--show-prelude", action="store_true",
                   help="print the Tcl prelude tcllib's side runs with (it redirects the "
                        "sends and holds a part's generated boundary steady across a "
                        "clock tick), and exit")
    p.add_argument("script", nargs="?", metavar="SCRIPT", help="the Tcl script to compare")
    p.add_argument("args", nargs=argparse.REMAINDER, metavar="ARG",
                   help="its arguments (placeholders allowed; they replace an `args` "
                        "directive)")
    return p


def _pair(text: str, what: str) -> tuple[str, str]:
    address, sep, reply = text.partition("=")
    if not sep:
        raise ConfigError(f"{what}: expected ADDRESS=REPLY, got {text!r}")
    return address, reply


def apply_options(config: ScriptConfig, ns: argparse.Namespace) -> ScriptConfig:
    """Options win over directives."""
    here = Path.cwd()
    if ns.tls:
        apply_directive(config, "tls", [ns.tls], here)
    if ns.auth:
        apply_directive(config, "auth", [m for m in ns.auth.replace(",", " ").split()], here)
    if ns.user:
        name, sep, password = ns.user.partition(":")
        if not sep:
            raise ConfigError("--user: expected NAME:PASSWORD")
        apply_directive(config, "user", [name, password], here)
    if ns.size:
        apply_directive(config, "size", [ns.size], here)
    for item in ns.refuse:
        address, reply = _pair(item, "--refuse")
        apply_directive(config, "refuse", [address, *reply.split()], here)
    for item in ns.refuse_sender:
        address, reply = _pair(item, "--refuse-sender")
        apply_directive(config, "refuse-sender", [address, *reply.split()], here)
    if ns.data_reply:
        apply_directive(config, "data-reply", ns.data_reply.split(), here)
    if ns.no_ehlo:
        config.server.ehlo = False
    if ns.pipelining:
        config.server.pipelining = True
    if ns.redirect is not None:
        config.redirect = ns.redirect
    if ns.ignore_debug:
        config.ignore_debug = True
    if ns.stdin == "-":
        config.stdin_data = sys.stdin.buffer.read()
    elif ns.stdin:
        config.stdin = Path(ns.stdin)
    if ns.timeout:
        config.timeout = ns.timeout
    return config


def main(argv: Optional[list[str]] = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    parser = _parser()
    ns = parser.parse_args(argv)
    if ns.show_prelude:
        print(prelude_text(("127.0.0.1", "PORT")), end="")
        return EXIT_MATCH
    if ns.args and ns.args[0] == "--":
        ns.args = ns.args[1:]
    if ns.corpus and ns.script:
        parser.error("give either SCRIPT or --corpus DIR, not both")
    if not ns.corpus and not ns.script:
        parser.print_usage(sys.stderr)
        print("tclsmtp compat: a SCRIPT (or --corpus DIR) is needed; --help explains",
              file=sys.stderr)
        return EXIT_USAGE
    if ns.accept_difference is not None:
        if ns.corpus:
            parser.error("--accept-difference is for one SCRIPT, not --corpus")
        if documented_entry(ns.accept_difference) is None:
            print(f"tclsmtp compat: --accept-difference: no entry of {compat_doc_path()} "
                  f"contains \"{ns.accept_difference}\"; the closest entries begin:",
                  file=sys.stderr)
            for title in closest_entries(ns.accept_difference):
                print(f"  {title}", file=sys.stderr)
            return EXIT_USAGE
    cwd = Path(ns.cwd) if ns.cwd else None
    try:
        if ns.corpus:
            return _corpus(ns, cwd)
        return _one(ns, cwd)
    except ReferenceMissing as e:
        print(f"tclsmtp compat: cannot run the reference: {e}", file=sys.stderr)
        return EXIT_NO_REFERENCE
    except ConfigError as e:
        print(f"tclsmtp compat: {e}", file=sys.stderr)
        return EXIT_USAGE


def _one(ns: argparse.Namespace, cwd: Optional[Path]) -> int:
    from .harness import compare
    from .report import write_report
    script = Path(ns.script)
    if ns.no_directives:
        config = ScriptConfig(script=script)
    else:
        if not script.is_file():
            raise ConfigError(f"no such script: {script}")
        config = read_directives(script)
    if ns.args:
        config.args = list(ns.args)
    apply_options(config, ns)
    marked = config.difference is not None
    if ns.accept_difference is not None:
        if ns.self_check:
            raise ConfigError("--accept-difference and --self-check are exclusive")
        if config.difference is not None and (documented_entry(config.difference)
                                              != documented_entry(ns.accept_difference)):
            raise ConfigError(f"{script.name} is marked with difference "
                              f"\"{config.difference}\", not \"{ns.accept_difference}\"")
        config.difference = ns.accept_difference
    result = compare(config, tclsh=ns.tclsh, tcllib=ns.tcllib, cwd=cwd,
                     self_check=ns.self_check, transport=ns.transport)
    if ns.accept_difference is not None:
        if result.matches:
            raise ConfigError(f"{script.name}: the runs match; there is no difference to accept")
        config.expected_diff_path.write_text(result.diff, encoding="utf-8")
        result.expected_diff = result.diff
        print(f"wrote {config.expected_diff_path}")
        if not marked:
            print(f"add this line to {script} so that later runs expect it:\n"
                  f"# compat: difference \"{ns.accept_difference}\"")
    print(result.headline())
    for hint in result.hints():
        print(f"hint: {hint}")
    if result.verdict not in ("match", "documented"):
        print(result.diff, end="")
    if ns.report:
        write_report(Path(ns.report), [result])
        print(f"report: {ns.report}")
    return EXIT_MATCH if result.ok else EXIT_DIFFERENT


def _print_progress(result, done: int, total: int, seconds: float) -> None:
    width = len(str(total))
    print(f"{done:>{width}}/{total} {seconds:6.1f}s  {result.headline()}", flush=True)


def _corpus(ns: argparse.Namespace, cwd: Optional[Path]) -> int:
    from .corpus import run_corpus
    from .report import write_report
    directory = Path(ns.corpus)
    if not directory.is_dir():
        raise ConfigError(f"no such directory: {directory}")

    def adjust(config: ScriptConfig) -> ScriptConfig:
        return apply_options(config, ns)

    results = run_corpus(directory, jobs=ns.jobs or None, tclsh=ns.tclsh, tcllib=ns.tcllib,
                         cwd=cwd, adjust=adjust, progress=_print_progress,
                         self_check=ns.self_check, transport=ns.transport)
    bad = [r for r in results if not r.ok]
    print(f"{len(results) - len(bad)} of {len(results)} scripts match "
          f"(or differ exactly as documented)")
    if ns.report:
        write_report(Path(ns.report), results)
        print(f"report: {ns.report}")
    return EXIT_MATCH if not bad else EXIT_DIFFERENT
