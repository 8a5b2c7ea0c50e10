"""One-word commands for shebangs and crontabs: `tclsmtp shims DIR`'s tclsh
and wish, and the tclsmtp-tclsh console script, under a cron job's minimal
environment (`env -i PATH=...`), sending through tclsmtp to a real server."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tclsmtp.server import RecordingServer
from tclsmtp.tclfiles import tcl_dir

SCRIPT = r"""#!/usr/bin/env tclsh
package require mime
package require smtp
puts [package ifneeded smtp [package present smtp]]
set t [mime::initialize -canonical text/plain -string "nightly report"]
smtp::sendmessage $t -servers 127.0.0.1 -ports [lindex $argv 0] \
    -header [list Subject [lindex $argv 1]] \
    -originator cron@example.org -recipients ops@example.org
puts sent
"""

CRON_PATH = "/usr/bin:/bin"                  # cron's default PATH


@pytest.fixture(scope="module")
def shims(tmp_path_factory):
    directory = tmp_path_factory.mktemp("shims")
    p = subprocess.run([sys.executable, "-m", "tclsmtp", "shims", str(directory)],
                       capture_output=True, text=True, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.split() == [str(directory / "tclsh"), str(directory / "wish")]
    return directory


@pytest.fixture(scope="module")
def server():
    with RecordingServer() as s:
        yield s


@pytest.fixture
def script(tmp_path):
    path = tmp_path / "report.tcl"
    path.write_text(SCRIPT)
    path.chmod(0o755)
    return path


def _subjects(server: RecordingServer) -> list[str]:
    return [d.message["Subject"] for d in server.deliveries]


def _check(p: subprocess.CompletedProcess, server: RecordingServer, subject: str) -> None:
    assert p.returncode == 0, p.stderr
    ifneeded, sent = p.stdout.splitlines()
    assert str(tcl_dir() / "smtp.tcl") in ifneeded      # tclsmtp's smtp, not tcllib's
    assert sent == "sent"
    assert subject in _subjects(server)


def test_shebang_script_with_the_shims_first_on_path(shims, server, script, tcllib):
    env = {"PATH": f"{shims}:{CRON_PATH}", "HOME": os.environ.get("HOME", "/")}
    p = subprocess.run(["env", "-i", *(f"{k}={v}" for k, v in env.items()),
                        str(script), str(server.port), "shebang"],
                       capture_output=True, text=True, timeout=60)
    _check(p, server, "shebang")


def test_crontab_style_runs(shims, server, script, tcllib):
    # A crontab line `PATH=SHIMS:/usr/bin:/bin` + `tclsh report.tcl ...`,
    # and one naming the console script by its path under cron's own PATH.
    p = subprocess.run(["env", "-i", f"PATH={shims}:{CRON_PATH}", "sh", "-c",
                        f'tclsh "{script}" {server.port} crontab-shims'],
                       capture_output=True, text=True, timeout=60)
    _check(p, server, "crontab-shims")
    console = Path(sys.executable).parent / "tclsmtp-tclsh"
    p = subprocess.run(["env", "-i", f"PATH={CRON_PATH}", "sh", "-c",
                        f'"{console}" "{script}" {server.port} crontab-console'],
                       capture_output=True, text=True, timeout=60)
    _check(p, server, "crontab-console")
