"""The hint line `tclsmtp run` adds after an uncaught send failure.

The error itself stays tcllib's (compared with tclsh + tcllib); the one line
after it names the host and port that failed, and the --route in force. A
caught error prints nothing, and TCLSMTP_QUIET=1 turns the line off.
"""
from __future__ import annotations

import re

import pytest

from reference import run_both, run_tclsmtp
from tclsmtp.compat.servers import DeadPort

SEND = """package require smtp
package require mime
set t [mime::initialize -canonical text/plain -string hi]
{body}
"""
UNCAUGHT = ("smtp::sendmessage $t -servers {servers} -ports {ports} "
            "-header {{To a@example.com}} -header {{From b@example.com}}")


def sockless(text: str) -> str:
    # Channel names differ from run to run (and between Tcl and us).
    return re.sub(r'"sock[0-9a-f]+"', '"sockN"', text)


@pytest.fixture(scope="module")
def dead():
    ports = [DeadPort(), DeadPort()]
    yield [p.port for p in ports]
    for p in ports:
        p.close()


def test_uncaught_connection_failure_gets_one_hint_line(tcllib, dead):
    script = SEND.format(body=UNCAUGHT.format(servers="127.0.0.1", ports=dead[0]))
    ref, ours = run_both(script)
    assert ours.returncode == ref.returncode == 1
    *report, hint = ours.stderr.splitlines()
    assert sockless("\n".join(report) + "\n") == sockless(ref.stderr)   # tcllib's error
    assert hint == f"tclsmtp: could not connect to 127.0.0.1 port {dead[0]}: connection refused"
    assert ours.stdout == ref.stdout == ""


def test_hint_names_every_server_tried_and_the_route(tcllib, dead):
    script = SEND.format(body=UNCAUGHT.format(servers="{127.0.0.1 localhost}",
                                              ports=f"{{{dead[0]} {dead[1]}}}"))
    ours = run_tclsmtp(script, options=("--route", f"127.0.0.1:{dead[1]}"))
    hint = ours.stderr.splitlines()[-1]
    assert hint == (f"tclsmtp: no server could be used: 127.0.0.1 port {dead[1]}: connection "
                    f"refused; 127.0.0.1 port {dead[1]}: connection refused "
                    f"(--route 127.0.0.1:{dead[1]} in force; the script named 127.0.0.1 port "
                    f"{dead[0]}, localhost port {dead[1]})")


def test_caught_failure_prints_nothing(tcllib, dead):
    body = ("puts [catch {" + UNCAUGHT.format(servers="127.0.0.1", ports=dead[0]) + "} msg]\n"
            "puts [string match {error reading*} $msg]")
    ref, ours = run_both(SEND.format(body=body))
    assert (ours.returncode, ours.stdout, ours.stderr) == (ref.returncode, ref.stdout, ref.stderr)
    assert ours.stdout == "1\n1\n" and ours.stderr == ""


def test_quiet_turns_the_hint_off(tcllib, dead):
    script = SEND.format(body=UNCAUGHT.format(servers="127.0.0.1", ports=dead[0]))
    ref, ours = run_both(script, env={"TCLSMTP_QUIET": "1"})
    assert sockless(ours.stderr) == sockless(ref.stderr)


def test_another_uncaught_error_after_a_caught_send_gets_no_hint(tcllib, dead):
    body = ("catch {" + UNCAUGHT.format(servers="127.0.0.1", ports=dead[0]) + "}\n"
            "error {something else}")
    ref, ours = run_both(SEND.format(body=body))
    assert (ours.returncode, ours.stderr) == (ref.returncode, ref.stderr)


def test_commands_from_stdin_get_the_hint_after_the_error(tcllib, dead):
    # tclsh without a script reports each error's message and reads on.
    import subprocess
    import sys
    script = SEND.format(body=UNCAUGHT.format(servers="127.0.0.1", ports=dead[0])) + "puts after\n"
    ref = subprocess.run(["tclsh"], input=script, capture_output=True, text=True, timeout=60)
    ours = subprocess.run([sys.executable, "-m", "tclsmtp", "run"], input=script,
                          capture_output=True, text=True, timeout=60)
    assert ours.stdout == ref.stdout == "after\n"
    *report, hint = ours.stderr.splitlines()
    assert sockless("\n".join(report) + "\n") == sockless(ref.stderr)
    assert hint == f"tclsmtp: could not connect to 127.0.0.1 port {dead[0]}: connection refused"
