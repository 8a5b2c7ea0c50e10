"""A wheel built from the repository works in a fresh virtual environment."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_carries_tcl_sources_and_installs(tmp_path, tcllib):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, capture_output=True)
    (wheel,) = dist.glob("tclsmtp-*.whl")
    import zipfile
    names = zipfile.ZipFile(wheel).namelist()
    for f in ("tclsmtp/tcl/pkgIndex.tcl", "tclsmtp/tcl/tclsmtp.tcl",
              "tclsmtp/tcl/mime.tcl", "tclsmtp/tcl/smtp.tcl"):
        assert f in names

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True)
    # Run from elsewhere so the checkout cannot be imported by accident.
    p = subprocess.run(
        [str(py), "-c", "import tkinter, tclsmtp; t = tkinter.Tcl(); tclsmtp.install(t); "
                        "print(tclsmtp.__file__); "
                        "print(t.eval('package require mime'), t.eval('package require smtp'))"],
        capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    where, versions = p.stdout.splitlines()
    assert str(venv) in where
    assert versions == "1.7.2 1.5.2"
