"""The package type-checks: mypy (settings in pyproject.toml) finds no
error in tclsmtp/, so the annotations a reader and a user's mypy rely on
stay true."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_mypy_finds_no_error_in_the_package():
    p = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental", "tclsmtp"],
                       capture_output=True, text=True, cwd=ROOT)
    assert p.returncode == 0, p.stdout + p.stderr
    assert p.stdout.startswith("Success")
