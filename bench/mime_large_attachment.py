"""mime: a message with a 100 MB -file attachment (base64), built and
written with mime::copymessage, under tclsh+tcllib and under `tclsmtp run`.

Prints wall time and peak RSS of each (the whole process), their ratios,
and also Python's own path (tclsmtp.mime.iter_bytes, what the smtp engine
sends) for the same token. Checks that both outputs are the same message
apart from Content-IDs and the boundary.

    .venv/bin/python bench/mime_large_attachment.py [SIZE_MB]
"""
from __future__ import annotations

import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "mime_large_attachment.tcl"

# Runs one command in a child of a fresh process, so that RUSAGE_CHILDREN's
# ru_maxrss is that command's peak alone.
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
p = subprocess.run(sys.argv[1:])
wall = time.perf_counter() - start
print(p.returncode, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""

_PY_ITER = """
import sys, tkinter, tclsmtp
from tclsmtp.mime import iter_bytes
interp = tkinter.Tcl()
tclsmtp.install(interp)
interp.eval("package require mime")
token = interp.eval('''
set text [mime::initialize -canonical text/plain -string "The report is attached."]
set att [mime::initialize -canonical application/octet-stream -encoding base64 \\
    -header {Content-Disposition {attachment; filename="report.bin"}} -file {%s}]
set msg [mime::initialize -canonical multipart/mixed -parts [list $text $att]]
mime::setheader $msg Subject "Monthly report"
mime::setheader $msg From "reports@example.org"
set msg''')
with open(sys.argv[1], "wb") as out:
    for chunk in iter_bytes(tclsmtp.get_message(interp, token)):
        out.write(chunk)
"""


def measure(cmd: list[str]) -> tuple[float, float]:
    """(wall seconds, peak RSS MiB) of cmd."""
    p = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=True)
    code, wall, rss_kib = p.stdout.split()
    if code != "0":
        raise SystemExit(f"{cmd[0]} failed ({code}): {p.stderr}")
    return float(wall), int(rss_kib) / 1024


_IDS = re.compile(rb"<\d+\.\d+\.\d+@[^>]*>|----- =_[A-Za-z0-9+/=]{44}")


def same_message(a: Path, b: Path) -> bool:
    """Equal apart from ids and boundaries (headers normalized, then bodies
    compared block by block)."""
    with open(a, "rb") as fa, open(b, "rb") as fb:
        heads = []
        for f in (fa, fb):
            head = f.read(8192)
            end = head.index(b"\r\n\r\n") + 4
            f.seek(end)
            heads.append(_IDS.sub(b"X", head[:end]))
        if heads[0] != heads[1]:
            return False
        while True:
            x, y = fa.read(8 << 20), fb.read(8 << 20)
            if _IDS.sub(b"X", x) != _IDS.sub(b"X", y):
                return False
            if not x:
                return True


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp:
        tmpdir = Path(tmp)
        infile = tmpdir / "attachment.bin"
        with open(infile, "wb") as f:
            for _ in range(size_mb):
                f.write(os.urandom(1 << 20))
        names = ("tcllib", "tclsmtp", "iter_bytes", "tcllib-build", "tclsmtp-build")
        outs = {name: tmpdir / f"{name}.eml" for name in names}
        runs = {
            "tcllib": ["tclsh", str(SCRIPT), str(infile), str(outs["tcllib"])],
            "tclsmtp": [sys.executable, "-m", "tclsmtp", "run", str(SCRIPT), str(infile),
                        str(outs["tclsmtp"])],
            "iter_bytes": [sys.executable, "-c", _PY_ITER % infile, str(outs["iter_bytes"])],
            "tcllib-build": ["tclsh", str(SCRIPT), str(infile), str(outs["tcllib-build"]), "build"],
            "tclsmtp-build": [sys.executable, "-m", "tclsmtp", "run", str(SCRIPT), str(infile),
                              str(outs["tclsmtp-build"]), "build"],
        }
        results = {name: measure(cmd) for name, cmd in runs.items()}
        print(f"{size_mb} MB -file attachment, base64: mime::copymessage to a file (and: "
              "mime::buildmessage, then written; iter_bytes: Python's stream, what smtp sends)")
        for name, (wall, rss) in results.items():
            print(f"  {name:14s} {wall:7.2f} s  {rss:8.1f} MiB peak RSS")
        for mode in ("", "-build"):
            (tw, tr), (ow, orss) = results["tcllib" + mode], results["tclsmtp" + mode]
            print(f"  tclsmtp/tcllib{mode}: time x{ow / tw:.2f}, peak RSS x{orss / tr:.2f}")
        print(f"  same message (ids, boundary aside): "
              f"copymessage {same_message(outs['tcllib'], outs['tclsmtp'])}")
        # iter_bytes is buildmessage's bytes: compare with copymessage's file
        # (both CRLF) as well.
        print(f"  iter_bytes equals copymessage output: "
              f"{same_message(outs['tclsmtp'], outs['iter_bytes'])}")
        print(f"  same message from buildmessage: "
              f"{same_message(outs['tcllib-build'], outs['tclsmtp-build'])}")


if __name__ == "__main__":
    from reference import use_reference_tcllib
    use_reference_tcllib()
    main()
