"""Latency of one small message (new connection, EHLO ... QUIT), measured
inside the interpreter, under tclsh+tcllib and under tclsmtp, against
postfix's smtp-sink on loopback. Target: at most 2 ms with tclsmtp.

    .venv/bin/python bench/smtp_single.py [COUNT]
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from smtp_common import run_script, smtp_sink  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    script = (Path(__file__).parent / "smtp_single.tcl").read_text()
    medians = {}
    with smtp_sink() as port:
        for engine in ("tcllib", "tclsmtp"):
            _, out, _ = run_script(script, engine, str(port), str(count))
            median, best = (int(x) for x in out.split())
            medians[engine] = median
            print(f"{engine:8s} one message: median {median/1000:7.2f} ms, best {best/1000:7.2f} ms "
                  f"({count} sends)")
    print(f"ratio    tcllib/tclsmtp = {medians['tcllib']/medians['tclsmtp']:.1f}x (medians)")


if __name__ == "__main__":
    from reference import use_reference_tcllib
    use_reference_tcllib()
    main()
