"""A Tcl script that sends 100 small messages in a loop (bench/smtp_loop.tcl),
run whole (process start included) under tclsh+tcllib and under
`python -m tclsmtp run`, against postfix's smtp-sink on loopback.

    .venv/bin/python bench/smtp_loop.py [COUNT] [ROUNDS]

Prints both wall-clock times (best of ROUNDS), and the ratio.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from smtp_common import run_script, smtp_sink  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    script = (Path(__file__).parent / "smtp_loop.tcl").read_text()
    with smtp_sink() as port:
        best = {}
        run_script(script, "tclsmtp", str(port), "1")     # warm-up: caches compiled modules
        for engine in ("tcllib", "tclsmtp"):
            times = []
            for _ in range(rounds):
                elapsed, out = run_script(script, engine, str(port), str(count))
                assert out.strip() == f"sent {count}", out
                times.append(elapsed)
            best[engine] = min(times)
            print(f"{engine:8s} {count} messages: {best[engine]*1000:8.1f} ms "
                  f"({best[engine]/count*1000:.2f} ms/message, best of {rounds})")
    print(f"ratio    tcllib/tclsmtp = {best['tcllib']/best['tclsmtp']:.1f}x")


if __name__ == "__main__":
    main()
