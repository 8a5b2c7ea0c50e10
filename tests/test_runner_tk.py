"""`tclsmtp run --tk` behaves as wish: compared with real wish on a virtual display."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest


@pytest.fixture(scope="module")
def display():
    if shutil.which("Xvfb") is None:
        pytest.fail("Xvfb is missing: apt-get install -y xvfb (scripts/dev test does it)")
    number = 90 + os.getpid() % 9
    proc = subprocess.Popen(["Xvfb", f":{number}", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not os.path.exists(f"/tmp/.X11-unix/X{number}"):
        assert time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    yield f":{number}"
    proc.terminate()
    proc.wait()


SCRIPT = r"""
button .b -text Send -command {set ::clicked 1}
pack .b
puts [list $argv0 $argc $argv [winfo class .] [winfo exists .b]]
after 50 {.b invoke; puts "clicked $::clicked"; catch {package require mime} v; puts $v; exit 3}
"""


def test_tk_script_runs_as_under_wish(tmp_path, display):
    script = tmp_path / "gui.tcl"
    script.write_text(SCRIPT)
    env = {**os.environ, "DISPLAY": display}
    ref = subprocess.run(["wish", str(script), "x y"], capture_output=True, text=True,
                         env=env, timeout=60)
    ours = subprocess.run([sys.executable, "-m", "tclsmtp", "run", "--tk", str(script), "x y"],
                          capture_output=True, text=True, env=env, timeout=60)
    # wish's event loop keeps running after the script until `exit`.
    assert ref.returncode == ours.returncode == 3
    ref_lines, our_lines = ref.stdout.splitlines(), ours.stdout.splitlines()
    assert our_lines[:2] == ref_lines[:2]
    assert (ref_lines[2], our_lines[2]) == ("1.7.0", "1.7.2")   # tcllib vs tclsmtp's mime


def test_tk_without_display_says_so(tmp_path):
    script = tmp_path / "gui.tcl"
    script.write_text("puts hi")
    env = {k: v for k, v in os.environ.items() if k != "DISPLAY"}
    p = subprocess.run([sys.executable, "-m", "tclsmtp", "run", "--tk", str(script)],
                       capture_output=True, text=True, env=env, timeout=60)
    assert p.returncode != 0
    assert "cannot open a Tk window" in p.stderr
    assert "Traceback" not in p.stderr


SEND_FROM_TK = r"""
package require mime
package require smtp
label .status -text idle
pack .status
set ::redraws 0
proc redraw {} {incr ::redraws; .status configure -text "tick $::redraws"; after 20 redraw}
proc send {} {
    set t [mime::initialize -canonical text/plain -string "from a Tk app"]
    smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $::argv 0] \
        -header {Subject tk} -originator gui@example.org -recipients ops@example.org
}
button .send -text Send -command send
pack .send
after 20 redraw
after 50 {
    .send invoke
    puts [package ifneeded smtp [package present smtp]]
    puts [expr {$::redraws >= 10 ? "redrawn" : "frozen $::redraws"}]
    exit 0
}
"""


@pytest.mark.parametrize("how", ["wish+helper", "wish-shim"])
def test_tk_app_sends_and_keeps_redrawing(tmp_path, display, how):
    from tclsmtp.helper.tclpath import write_tcl_path
    from tclsmtp.server import RecordingServer
    from tclsmtp.shims import write_shims
    from tclsmtp.tclfiles import tcl_dir

    script = tmp_path / "app.tcl"
    script.write_text(SEND_FROM_TK)
    env = {**os.environ, "DISPLAY": display}
    if how == "wish+helper":              # a plain wish, TCLLIBPATH from tcl-path
        env["TCLLIBPATH"] = str(write_tcl_path(tmp_path / "tcl-path"))
        wish = "wish"
    else:                                 # `tclsmtp shims`'s wish: tclsmtp run --tk
        wish = str(write_shims(tmp_path / "shims")[1])
    with RecordingServer(data_delay=0.4) as server:
        p = subprocess.run([wish, str(script), str(server.port)], capture_output=True,
                           text=True, env=env, timeout=60)
        assert p.returncode == 0, p.stderr
        ifneeded, redrawn = p.stdout.splitlines()
        assert str(tcl_dir() / "smtp.tcl") in ifneeded
        assert redrawn == "redrawn"       # 0.4 s in the server: the label kept updating
        assert [d.message["Subject"] for d in server.deliveries] == ["tk"]
