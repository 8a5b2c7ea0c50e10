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
