"""A wheel built from the repository (as docs/python.md says: `python -m
build`) works in a fresh virtual environment, carries what the package needs
at run time, and is typed for mypy."""
from __future__ import annotations

import subprocess
import sys
import zipfile
from email.parser import HeaderParser
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

USER_CODE = '''\
from email.message import EmailMessage
import tkinter

import tclsmtp

interp = tkinter.Tcl()
tclsmtp.install(interp)
msg = EmailMessage()
msg["To"] = "ann@example.com"
token: str = tclsmtp.make_token(interp, msg)
back = tclsmtp.get_message(interp, token)


def send() -> bytes:                    # checked by mypy, not run
    result: tclsmtp.SendResult = tclsmtp.sendmessage(msg, servers="localhost", ports=2525)
    refused: dict[str, tuple[int, bytes]] = result.refused
    return result.reply[1]
'''


def test_wheel_carries_tcl_sources_and_installs(tmp_path, tcllib):
    dist = tmp_path / "dist"
    subprocess.run([sys.executable, "-m", "build", "--wheel", "--outdir", str(dist), str(ROOT)],
                   check=True, capture_output=True)
    (wheel,) = dist.glob("tclsmtp-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for f in ("tclsmtp/tcl/pkgIndex.tcl", "tclsmtp/tcl/tclsmtp.tcl",
              "tclsmtp/tcl/mime.tcl", "tclsmtp/tcl/smtp.tcl",
              "tclsmtp/py.typed", "tclsmtp/docs/compat.md"):
        assert f in names
    (license,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
    assert "BSD 3-Clause" in zipfile.ZipFile(wheel).read(license).decode()
    (meta_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
    meta = HeaderParser().parsestr(zipfile.ZipFile(wheel).read(meta_name).decode())
    # CI (.ci/run) tests the Python that runs this suite.
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    assert f"Programming Language :: Python :: {version}" in meta.get_all("Classifier")
    assert meta["License-Expression"] == "BSD-3-Clause"

    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    py = venv / "bin" / "python"
    subprocess.run([str(py), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True)
    # Run from elsewhere so the checkout cannot be imported by accident.
    p = subprocess.run(
        [str(py), "-c", "import tkinter, tclsmtp; t = tkinter.Tcl(); tclsmtp.install(t); "
                        "print(tclsmtp.__file__); "
                        "print(t.eval('package require mime'), t.eval('package require smtp')); "
                        "from tclsmtp.compat.documented import compat_doc_path as p; print(p())"],
        capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    where, versions, doc = p.stdout.splitlines()
    assert str(venv) in where
    assert versions == "1.7.2 1.5.2"
    assert doc.startswith(str(venv)) and doc.endswith("tclsmtp/docs/compat.md")

    # mypy, run on a user's file against the installed wheel, finds the
    # py.typed marker (no "missing library stubs or py.typed marker").
    (tmp_path / "user.py").write_text(USER_CODE)
    p = subprocess.run([sys.executable, "-m", "mypy", "--no-incremental",
                        "--python-executable", str(py), "user.py"],
                       capture_output=True, text=True, cwd=tmp_path)
    assert p.returncode == 0, p.stdout + p.stderr
    assert "Success" in p.stdout
