"""smtp: sending a message with a 100 MB -file attachment (base64) to
postfix's smtp-sink on loopback, under tclsh+tcllib and under `tclsmtp run`.
Prints wall time and peak RSS of each process and their ratios.

    .venv/bin/python bench/smtp_large_attachment.py [SIZE_MB]
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from mime_large_attachment import measure  # noqa: E402
from smtp_common import smtp_sink  # noqa: E402

SCRIPT = HERE / "smtp_large_attachment.tcl"


def main() -> None:
    size_mb = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    with tempfile.TemporaryDirectory() as tmp, smtp_sink() as port:
        infile = Path(tmp) / "attachment.bin"
        with open(infile, "wb") as f:
            for _ in range(size_mb):
                f.write(os.urandom(1 << 20))
        runs = {
            "tcllib": ["tclsh", str(SCRIPT), str(infile), str(port)],
            "tclsmtp": [sys.executable, "-m", "tclsmtp", "run", str(SCRIPT), str(infile),
                        str(port)],
        }
        results = {name: measure(cmd) for name, cmd in runs.items()}
    print(f"{size_mb} MB -file attachment, base64, smtp::sendmessage to smtp-sink on loopback")
    for name, (wall, rss) in results.items():
        print(f"  {name:8s} {wall:7.2f} s  {rss:8.1f} MiB peak RSS")
    (tw, tr), (ow, orss) = results["tcllib"], results["tclsmtp"]
    print(f"  tclsmtp/tcllib: time x{ow / tw:.2f}, peak RSS x{orss / tr:.2f}")


if __name__ == "__main__":
    from reference import use_reference_tcllib
    use_reference_tcllib()
    main()
