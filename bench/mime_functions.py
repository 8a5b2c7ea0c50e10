"""mime: the token-less commands (parseaddress, qp_encode/qp_decode,
parsedatetime, word_encode, field_decode) under tclsh+tcllib and under
`tclsmtp run`: microseconds per call of each, the ratio, and whether both
produced results of the same total length.

    .venv/bin/python bench/mime_functions.py [SCALE]
"""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCRIPT = Path(__file__).resolve().parent / "mime_functions.tcl"


def run(cmd: list[str]) -> dict[str, tuple[float, str]]:
    p = subprocess.run(cmd, capture_output=True, text=True, check=True)
    rows = {}
    for line in p.stdout.splitlines():
        name, us, checksum = line.rsplit(None, 2)
        rows[name.strip()] = (float(us), checksum)
    return rows


def main() -> None:
    scale = sys.argv[1] if len(sys.argv) > 1 else "1"
    ref = run(["tclsh", str(SCRIPT), scale])
    ours = run([sys.executable, "-m", "tclsmtp", "run", str(SCRIPT), scale])
    print(f"{'operation':28s} {'tcllib us':>12s} {'tclsmtp us':>12s} {'ratio':>7s}  same")
    for name, (us, checksum) in ref.items():
        our_us, our_checksum = ours[name]
        print(f"{name:28s} {us:12.1f} {our_us:12.1f} {our_us / us:7.2f}  {checksum == our_checksum}")


if __name__ == "__main__":
    from reference import use_reference_tcllib
    use_reference_tcllib()
    main()
