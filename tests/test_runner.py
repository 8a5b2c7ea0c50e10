"""`tclsmtp run` behaves as `tclsh SCRIPT ARG...`: compared with real tclsh."""
from __future__ import annotations

import subprocess
import sys

import pytest

from reference import DEBIAN, REFERENCE_TCLLIB, run_both, run_tclsmtp, tcllib_env


def same(script: str, *args: str, stdin: str | None = None):
    ref, ours = run_both(script, *args, stdin=stdin)
    assert (ours.returncode, ours.stdout, ours.stderr) == (ref.returncode, ref.stdout, ref.stderr)
    return ref


def test_argv_argc_argv0_and_info_script():
    ref = same('puts [list $argv0 $argc $argv [info script] $tcl_interactive]',
               "a", "b c", "-x", "{")
    assert "{b c}" in ref.stdout


def test_same_globals_as_tclsh():
    same('puts [lsort [info globals]]; puts $tcl_rcFileName')


def test_no_arguments():
    same('puts [list $argc $argv]')


@pytest.mark.parametrize("status", ["0", "3", "255", "300"])
def test_exit_status(status):
    same(f'puts -nonewline partial; puts stderr err; exit {status}')


def test_exit_errors_match():
    same('catch {exit foo} m; puts $m; catch {exit 1 2} m; puts $m')


def test_uncaught_error_prints_errorinfo_and_exits_1():
    same('proc f {} {error boom}\nputs before\nf\nputs after\n')


def test_error_with_multiline_message_and_errorcode():
    same('error "a\\nb" {} {X Y}')


@pytest.mark.parametrize("body", ["return -code 7 {diagnostic x code 553}", "break", "continue",
                                  "return early"])
def test_odd_return_codes_at_top_level(body):
    same(f'proc g {{}} {{{body}}}\ng\nputs after')


@pytest.mark.parametrize("end", ["", "error boom\n"])
def test_the_script_s_own_exit_runs_at_its_end(end):
    # tclsh ends a script by evaluating `exit STATUS` (1 after an uncaught
    # error): a redefined exit runs, and its status is the process's.
    same('rename exit _exit\nproc exit {{c 0}} {puts "my exit $c"; flush stdout; _exit [expr {$c + 4}]}\n'
         'set f [open /dev/null w]; puts -nonewline buffered\n' + end)


def same_from_stdin(script: str):
    """Commands on stdin, no script argument: tclsh and `tclsmtp run` agree."""
    ref = subprocess.run(["tclsh"], input=script, capture_output=True, text=True)
    ours = subprocess.run([sys.executable, "-m", "tclsmtp", "run"], input=script,
                          capture_output=True, text=True)
    assert (ours.returncode, ours.stdout, ours.stderr) == (ref.returncode, ref.stdout, ref.stderr)
    return ref


def test_stdin_ends_with_exit_too():
    ref = same_from_stdin('rename exit _exit\nproc exit {{c 0}} {puts "my exit $c"; _exit 5}\n'
                          'puts hi\n')
    assert (ref.returncode, ref.stdout) == (5, "hi\nmy exit 0\n")


def test_syntax_error():
    same('puts start\nif {')


def test_missing_script_file():
    ref = subprocess.run(["tclsh", "/nonexistent/x.tcl"], capture_output=True, text=True)
    ours = subprocess.run([sys.executable, "-m", "tclsmtp", "run", "/nonexistent/x.tcl"],
                          capture_output=True, text=True)
    assert (ours.returncode, ours.stdout, ours.stderr) == (ref.returncode, ref.stdout, ref.stderr)


def test_stdin_is_the_process_stdin():
    same('while {[gets stdin line] >= 0} {puts "<$line>"}', stdin="one\ntwo\n")


def test_vwait_event_loop():
    same('after 30 {set ::done timer}; vwait ::done; puts $::done\n'
         'set n 0; proc tick {} {if {[incr ::n] < 3} {after 5 tick} else {set ::fin $::n}}\n'
         'tick; vwait ::fin; puts $::fin')


def test_commands_from_stdin_without_script():
    same_from_stdin('puts a\nset x 5\nerror boom\nputs b\nexpr 1+\nputs [info exists argv0]\n')


def test_exit_from_stdin_commands():
    ref = same_from_stdin("puts a\nexit 4\nputs b\n")
    assert (ref.returncode, ref.stdout) == (4, "a\n")


@pytest.mark.parametrize("tcllib_dir", [DEBIAN, REFERENCE_TCLLIB], ids=["debian", "tcllib-2.0"])
def test_packages_resolve_to_tclsmtp_in_the_runner(tcllib, tcllib_dir):
    script = 'puts [package require mime]; puts [package require smtp]; puts [package ifneeded mime 1.7.2]'
    # Debian's tcllib is on auto_path (and tcllib 2.0, same version numbers,
    # on TCLLIBPATH)...
    ref, _ = run_both(script, tcllib=tcllib_dir)
    ours = run_tclsmtp(script, env=tcllib_env(None, tcllib_dir))
    assert ref.stdout.startswith("1.7.0\n1.5.1\n" if tcllib_dir is DEBIAN else "1.7.2\n1.5.2\n")
    assert ours.stdout.startswith("1.7.2\n1.5.2\n")      # ...and ours wins
    assert ours.stdout.splitlines()[2].endswith("/tcl/mime.tcl")
    assert ours.returncode == 0


@pytest.mark.parametrize("argv", [["--help"], ["run", "--help"]])
def test_help(argv):
    p = subprocess.run([sys.executable, "-m", "tclsmtp", *argv], capture_output=True, text=True)
    assert p.returncode == 0
    assert "usage:" in p.stdout and "capture" in p.stdout


def test_the_collector_is_off_for_start_up_and_on_for_the_script(tmp_path):
    """cli.main turns Python's cyclic collector off while start-up makes its
    long-lived objects (a dozen passes over them cost ~2 ms) and the runner
    turns it on, with those frozen, before the script: a long script's
    cycles are still collected."""
    script = tmp_path / "s.tcl"
    script.write_text("puts ran\n")
    probe = f"""
import gc
import tclsmtp.bridge.runner as runner
seen = []
original = runner.run_script
def run_script(*args):
    seen.append((gc.isenabled(), gc.get_freeze_count() > 1000))
    return original(*args)
runner.run_script = run_script
# (the script's end is tclsh's exit, which ends the process at once)
runner._end_as_tclsh = lambda interp, status: (print("seen", seen, flush=True), status)[1]
from tclsmtp.cli import main
main(["run", {str(script)!r}])
"""
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["ran", "seen [(True, True)]"]
