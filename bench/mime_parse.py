"""mime: parsing messages (mime::initialize -file / -string without
-canonical) and reading their parts back, under tclsh+tcllib and under
`tclsmtp run`: a message with a large base64 attachment, and many small
multipart messages. Prints wall time and peak RSS of each, their ratios,
and whether both printed the same parts and bodies.

    .venv/bin/python bench/mime_parse.py [ATTACHMENT_MB] [SMALL_REPEAT]
"""
from __future__ import annotations

import base64
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SCRIPT = HERE / "mime_parse.tcl"

# One command in a child of a fresh process: RUSAGE_CHILDREN's ru_maxrss
# is then that command's peak alone.
_MEASURE = """
import resource, subprocess, sys, time
start = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
wall = time.perf_counter() - start
sys.stderr.buffer.write(p.stdout)
print(p.returncode, wall, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
"""


def measure(cmd: list[str]) -> tuple[float, float, bytes]:
    """(wall seconds, peak RSS MiB, stdout) of cmd."""
    p = subprocess.run([sys.executable, "-c", _MEASURE, *cmd], capture_output=True, text=False)
    code, wall, rss_kib = p.stdout.split()
    if code != b"0":
        raise SystemExit(f"{cmd} failed ({code.decode()})")
    return float(wall), int(rss_kib) / 1024, p.stderr


def big_message(path: Path, size_mb: int) -> None:
    """LF line ends (a message saved on Unix)."""
    with open(path, "wb") as f:
        f.write(b'MIME-Version: 1.0\nSubject: report\n'
                b'Content-Type: multipart/mixed; boundary="=_outer"\n\n'
                b"--=_outer\nContent-Type: text/plain; charset=utf-8\n\n"
                b"The report is attached.\n--=_outer\n"
                b"Content-Type: application/octet-stream\n"
                b"Content-Transfer-Encoding: base64\n\n")
        for _ in range(size_mb):
            f.write(base64.encodebytes(os.urandom(1 << 20)))
        f.write(b"--=_outer--\n")


def small_message(path: Path) -> None:
    path.write_bytes(
        b"From: a@example.org\nTo: b@example.org\nSubject: hello\nMIME-Version: 1.0\n"
        b'Content-Type: multipart/alternative; boundary="alt"\n\n'
        b"--alt\nContent-Type: text/plain; charset=us-ascii\n\nHello there.\n"
        b"--alt\nContent-Type: text/html; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n"
        b"<p>Hello=20there.</p>\n--alt--\n")


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 50
    repeat = int(sys.argv[2]) if len(sys.argv) > 2 else 2000
    with tempfile.TemporaryDirectory() as tmp:
        big, small = Path(tmp) / "big.eml", Path(tmp) / "small.eml"
        big_message(big, size_mb)
        small_message(small)
        cases = [(f"{size_mb} MB base64 attachment, -file", ["file", str(big)]),
                 (f"{size_mb} MB base64 attachment, -string", ["string", str(big)]),
                 (f"small multipart x{repeat}, -string", ["string", str(small), str(repeat)]),
                 (f"small multipart x{repeat}, -file", ["file", str(small), str(repeat)])]
        for title, args in cases:
            ref = measure(["tclsh", str(SCRIPT), *args])
            ours = measure([sys.executable, "-m", "tclsmtp", "run", str(SCRIPT), *args])
            print(title)
            for name, (wall, rss, _) in (("tcllib", ref), ("tclsmtp", ours)):
                print(f"  {name:8s} {wall:7.2f} s  {rss:8.1f} MiB peak RSS")
            print(f"  tclsmtp/tcllib: time x{ours[0] / ref[0]:.2f}, peak RSS x{ours[1] / ref[1]:.2f}; "
                  f"same output: {ours[2] == ref[2]}")


if __name__ == "__main__":
    from reference import use_reference_tcllib
    use_reference_tcllib()
    main()
