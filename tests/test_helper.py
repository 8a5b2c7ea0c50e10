"""The helper-process transport: plain tclsh (and wish) with TCLLIBPATH from
`tclsmtp tcl-path` load tclsmtp and behave as under the in-process bridge.

Real parts: the system tclsh (with apt's tcllib installed, so a silent
fallback to tcllib would show), the helper processes it starts, recording
SMTP servers on loopback.
"""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tclsmtp.helper.tclpath import PKG_INDEX, python_flags, write_tcl_path
from tclsmtp.server import RecordingServer
from tclsmtp.tclfiles import tcl_dir
from tclsmtp.tcllist import quote


@pytest.fixture(scope="module")
def helper_env(tmp_path_factory):
    directory = write_tcl_path(tmp_path_factory.mktemp("tcl-path"))
    return {**os.environ, "TCLLIBPATH": str(directory)}


@pytest.fixture(scope="module")
def mail_server():
    with RecordingServer(refuse={"nobody@example.org": "550 5.1.1 no such user"},
                         refuse_senders={"banned@example.org": "553 5.7.1 sender refused"}) as s:
        yield s


@pytest.fixture(scope="module")
def slow_server():
    """Takes 0.6 s to accept each message's data."""
    with RecordingServer(data_delay=0.6) as s:
        yield s


def _tclsh(script: Path, env: dict, *args: str, timeout: float = 60,
           program: str = "tclsh") -> subprocess.CompletedProcess:
    return subprocess.run([program, str(script), *args], capture_output=True, text=True,
                          env=env, timeout=timeout)


def _bridge(script: Path, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tclsmtp", "run", str(script), *args],
                          capture_output=True, text=True, timeout=timeout)


def _gone(pid: int) -> bool:
    """The process has exited (a zombie waiting for its parent counts)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def _wait_gone(pid: int, timeout: float = 15) -> bool:
    deadline = time.monotonic() + timeout
    while not _gone(pid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.02)
    return True


def test_plain_tclsh_loads_tclsmtp_not_tcllib(tmp_path, helper_env, tcllib):
    script = tmp_path / "which.tcl"
    script.write_text("puts [package require smtp]\n"
                      "puts [package ifneeded smtp [package present smtp]]\n"
                      "puts [package present mime]\n")
    p = _tclsh(script, helper_env)
    assert p.returncode == 0, p.stderr
    version, ifneeded, mime = p.stdout.splitlines()
    assert (version, mime) == ("1.5.2", "1.7.2")
    assert str(tcl_dir() / "smtp.tcl") in ifneeded


# Everything a script sees, printed; run under both transports.
AGREE = r"""
package require mime
package require smtp
proc show {args} {puts [list {*}$args]}
set t [mime::initialize -canonical text/plain -string "nul\0here \u00e9\u20ac"]
show token $t
show length [string length [mime::getbody $t]]
mime::setheader $t Subject "hi there"
show getheader [mime::getheader $t Subject]
show catch [catch {mime::getheader $t X-Missing} m o] $m [dict get $o -errorcode]
show catch [catch {mime::initialize -bogus 1} m o] $m [dict get $o -errorcode]
set bin [binary format H* 00ff80417f0d0a00]
set b [mime::initialize -canonical application/octet-stream -encoding base64 -string $bin]
show binary [binary encode hex [mime::getbody $b]]
show body [string map {\r\n |} [mime::buildmessage $b]]
set m [mime::initialize -canonical multipart/mixed -parts [list $t $b]]
show parts [mime::getproperty $m parts]
proc collect {reason {data {}}} {
    switch $reason {data {append ::chunks "<$data>"} end {return $::chunks}}
}
set ::chunks {}
show callback [mime::getbody $t -command collect -blocksize 3]
show address [mime::parseaddress "Foo Bar <foo@example.org>, baz@example.org"]
show qp [mime::qp_encode "caf\u00e9 = ok\0"]
show send [smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
    -originator from@example.org -recipients to@example.org -debug 1]
show code [catch {smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
    -originator from@example.org -recipients nobody@example.org} m] $m
show code [catch {smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
    -originator banned@example.org -recipients to@example.org} m] $m
show catch [catch {smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] -nope 1} m] $m
mime::finalize $t
show gone [catch {mime::getproperty $t} m] $m
show uniqueID [string match "<[pid].*" [mime::uniqueID]]
# A relative -file after the script's own `cd` is the script's file.
cd [file dirname [file normalize [info script]]]
set f [open body.txt w]; puts -nonewline $f "read from a file"; close $f
show file [mime::getbody [mime::initialize -canonical text/plain -file body.txt]]
"""


def _same_second(text: str) -> str:
    # Unique IDs hold the process id and the time: equal only within a run.
    return re.sub(r"<\d+\.\d+\.(\d+)@", r"<PID.TIME.\1@", text)


def test_transports_agree(tmp_path, helper_env, mail_server):
    script = tmp_path / "agree.tcl"
    script.write_text(AGREE)
    port = str(mail_server.port)
    ours = _tclsh(script, helper_env, port)
    bridge = _bridge(script, port)
    assert bridge.returncode == 0, bridge.stderr
    assert ours.returncode == 0, ours.stderr
    assert _same_second(ours.stdout) == _same_second(bridge.stdout)
    assert _same_second(ours.stderr) == _same_second(bridge.stderr)    # -debug lines
    assert "code 7 " in ours.stdout              # tcllib's return code for a refusal
    assert "Trying 127.0.0.1..." in ours.stderr
    assert "uniqueID 1\n" in ours.stdout           # the interpreter's [pid]
    assert ours.stdout.endswith("file {read from a file}\n")


TICKS = r"""
package require mime
package require smtp
set ::ticks 0
proc tick {} {incr ::ticks; after 20 tick}
after 20 tick
set t [mime::initialize -canonical text/plain -string hello]
mime::setheader $t Subject during
# A mime call from an event handler while the send waits.
after 100 {set ::seen [mime::getheader $::t Subject]}
smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
    -originator from@example.org -recipients to@example.org
puts "$::ticks $::seen"
"""


@pytest.mark.parametrize("transport", ["helper", "bridge"])
def test_after_ticks_keep_firing_during_a_slow_send(tmp_path, helper_env, slow_server,
                                                    transport):
    script = tmp_path / "ticks.tcl"
    script.write_text(TICKS)
    port = str(slow_server.port)
    p = _tclsh(script, helper_env, port) if transport == "helper" else _bridge(script, port)
    assert p.returncode == 0, p.stderr
    ticks, seen = p.stdout.split()
    # 0.6 s in the server alone: at 20 ms a tick, well over 10 ticks.
    assert int(ticks) >= 10
    assert seen == "during"


READY_FIRST = r"""
package require mime
package require smtp
# Hold the interpreter between reading the helper's "wait" and its event-loop
# wait, so that the send's answer is already in the pipe's buffer by then.
trace add execution ::tclsmtp::helper::Wait enter {after 300 ;#}
set ran {}
after idle {lappend ::ran idle}
set f [open [info script]]
fileevent $f readable {fileevent $::f readable {}; lappend ::ran file}
set t [mime::initialize -canonical text/plain -string hello]
smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
    -originator from@example.org -recipients to@example.org
puts [lsort $ran]
"""


def test_handlers_ready_at_a_send_run_even_when_its_answer_is_already_there(
        tmp_path, helper_env, mail_server):
    # tcllib's vwait runs whatever is ready during a send (the corpus script
    # event_sources_during_send.tcl compares this with tcllib). The answer's
    # readable event must not end our wait before those handlers ran.
    script = tmp_path / "ready.tcl"
    script.write_text(READY_FIRST)
    p = _tclsh(script, helper_env, str(mail_server.port))
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == ["file", "idle"]


NESTED = r"""
package require mime
package require smtp
lassign $argv fast slow
proc inner {} {
    set t [mime::initialize -canonical text/plain -string "inner\n"]
    puts "inner: [smtp::sendmessage $t -servers 127.0.0.1 -ports $::fast -header {To in@example.com}]"
}
after 100 inner
set t [mime::initialize -canonical text/plain -string "outer\n"]
puts "outer: [smtp::sendmessage $t -servers 127.0.0.1 -ports $slow -header {To out@example.com}]"
"""


def test_a_send_from_an_after_handler_during_a_slow_send(tmp_path, helper_env, mail_server,
                                                          slow_server):
    """tcllib's vwait nests (tests/smtp/test_failures.py compares the same
    script with tcllib under the bridge): the helper answers the inner send
    while the outer one waits, and each wait ends on its own send."""
    script = tmp_path / "nested.tcl"
    script.write_text(NESTED)
    ports = (str(mail_server.port), str(slow_server.port))
    before = (len(mail_server.deliveries), len(slow_server.deliveries))
    p = _tclsh(script, helper_env, *ports)
    assert p.returncode == 0, p.stderr
    assert p.stdout == _bridge(script, *ports).stdout == "inner: \nouter: \n"
    assert len(mail_server.deliveries) == before[0] + 2    # (the bridge's run sent one too)
    assert len(slow_server.deliveries) == before[1] + 2


HOLD = r"""
package require mime
package require smtp
puts [pid $::tclsmtp::helper::chan]
flush stdout
set t [mime::initialize -canonical text/plain -string hello]
smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
    -originator from@example.org -recipients to@example.org
gets stdin
"""


def test_sigkill_of_the_interpreter_leaves_no_helper(tmp_path, helper_env, slow_server):
    script = tmp_path / "hold.tcl"
    script.write_text(HOLD)
    proc = subprocess.Popen(["tclsh", str(script), str(slow_server.port)], env=helper_env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        helper = int(proc.stdout.readline())
        assert not _gone(helper)
    finally:
        proc.send_signal(signal.SIGKILL)          # mid-send, no chance to clean up
        proc.wait()
    assert _wait_gone(helper), f"helper {helper} outlived its interpreter"


KILL_HELPER = r"""
package require mime
package require smtp
set t [mime::initialize -canonical text/plain -string hello]
exec kill -9 [pid $::tclsmtp::helper::chan]
puts [catch {mime::getheader $t} m o]
puts $m
puts [dict get $o -errorcode]
puts [catch {mime::initialize -canonical text/plain -string again} m]
puts $m
"""

KILL_HELPER_MID_SEND = r"""
package require mime
package require smtp
set t [mime::initialize -canonical text/plain -string hello]
after 150 {exec kill -9 [pid $::tclsmtp::helper::chan]}
puts [catch {smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
    -originator from@example.org -recipients to@example.org} m]
puts $m
"""


def test_a_killed_helper_is_a_tcl_error(tmp_path, helper_env, slow_server):
    script = tmp_path / "kill.tcl"
    script.write_text(KILL_HELPER)
    p = _tclsh(script, helper_env, timeout=30)
    assert p.returncode == 0, p.stderr
    lines = p.stdout.splitlines()
    assert lines[0] == "1"
    assert "helper process" in lines[1] and "has exited" in lines[1]
    assert "kill" in lines[1]                       # the exit status: killed by a signal
    assert lines[2] == "TCLSMTP HELPER GONE"
    assert lines[3] == "1" and "has exited" in lines[4]   # later calls too, at once

    script = tmp_path / "kill_mid_send.tcl"
    script.write_text(KILL_HELPER_MID_SEND)
    p = _tclsh(script, helper_env, str(slow_server.port), timeout=30)
    assert p.returncode == 0, p.stderr
    code, message = p.stdout.splitlines()[:2]
    assert code == "1" and "has exited" in message


def _index_naming(directory: Path, python: str) -> dict:
    directory.mkdir()
    (directory / "pkgIndex.tcl").write_text(
        PKG_INDEX.format(python=quote(python), tcl=quote(str(tcl_dir())),
                         flags=quote(" ".join(python_flags()))))
    return {**os.environ, "TCLLIBPATH": str(directory)}


def test_a_missing_helper_names_what_to_do(tmp_path):
    script = tmp_path / "require.tcl"
    script.write_text("puts [catch {package require smtp} m]; puts $m\n")
    gone = _index_naming(tmp_path / "gone", str(tmp_path / "no-such-python"))
    p = _tclsh(script, gone)
    code, message = p.stdout.splitlines()
    assert code == "1"
    assert "no-such-python is not an executable" in message
    assert "tclsmtp tcl-path" in message

    # A Python without tclsmtp: its ImportError goes to our stderr.
    bare = tmp_path / "bare"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(bare)], check=True)
    env = _index_naming(tmp_path / "without", str(bare / "bin" / "python"))
    p = _tclsh(script, env)
    code, message = p.stdout.splitlines()
    assert code == "1"
    assert "-m pip install tclsmtp" in message
    assert "stderr" in message
    assert "No module named tclsmtp" in p.stderr


DELETE = r"""
interp create child
set helper [child eval {
    package require mime
    mime::initialize -canonical text/plain -string x
    pid $::tclsmtp::helper::chan
}]
puts $helper
interp delete child
puts deleted
flush stdout
gets stdin
"""


def test_deleting_the_interpreter_ends_its_helper(tmp_path, helper_env):
    script = tmp_path / "delete.tcl"
    script.write_text(DELETE)
    proc = subprocess.Popen(["tclsh", str(script)], env=helper_env, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        helper = int(proc.stdout.readline())
        assert proc.stdout.readline().strip() == "deleted"
        assert _wait_gone(helper), "the helper outlived its (deleted) interpreter"
        assert proc.poll() is None                # while the process goes on
    finally:
        proc.communicate("\n", timeout=30)


KEEPALIVE = r"""
package require mime
package require smtp
foreach n {1 2} {
    set t [mime::initialize -canonical text/plain -string "message $n"]
    smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
        -originator from@example.org -recipients to@example.org
}
"""


def test_kept_connections_say_quit_when_the_interpreter_exits(tmp_path, helper_env):
    script = tmp_path / "keep.tcl"
    script.write_text(KEEPALIVE)
    with RecordingServer() as server:
        p = _tclsh(script, {**helper_env, "TCLSMTP_KEEPALIVE": "30"}, str(server.port))
        assert p.returncode == 0, p.stderr
        assert server.wait_closed()
        (lines,) = server.client_lines               # one connection for both sends
        assert sum(line.startswith("MAIL FROM") for line in lines) == 2
        assert lines[-1] == "QUIT"
