"""What `tclsmtp run` loads to send a message: none of the modules whose
import cost more than the rest of a short script's start-up (docs/
architecture.md, "Start-up"). Read from Python's own -X importtime report."""
from __future__ import annotations

import subprocess
import sys

# typing, dataclasses (inspect, ast, dis), argparse, tkinter (the module:
# _tkinter is enough), tomllib and platformdirs (no accounts file here),
# email.policy (a mime token's EmailMessage policy, asked for only from
# Python), the idna codec (an ASCII server name needs none).
NOT_LOADED = {"typing", "dataclasses", "inspect", "argparse", "tkinter", "tomllib",
              "platformdirs", "secrets", "traceback", "email.policy", "encodings.idna"}


def test_a_send_does_not_load_the_costly_modules(server, tmp_path):
    script = tmp_path / "send.tcl"
    script.write_text(
        "package require mime\npackage require smtp\n"
        "set t [mime::initialize -canonical text/plain -string hello]\n"
        f"smtp::sendmessage $t -servers {server.host} -ports {server.port} "
        "-originator a@example.com -recipients b@example.com\nputs sent\n")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-X", "importtime", "-m", "tclsmtp", "run",
                           str(script)], capture_output=True, text=True, env=env, timeout=60)
    assert (done.returncode, done.stdout) == (0, "sent\n"), done.stderr
    loaded = {line.rsplit("|", 1)[1].strip() for line in done.stderr.splitlines()
              if line.startswith("import time:") and "|" in line}
    assert "tclsmtp.smtp.wire" in loaded and len(server.deliveries) == 1
    assert not loaded & NOT_LOADED, sorted(loaded & NOT_LOADED)
