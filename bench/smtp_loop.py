"""A Tcl script that sends 100 small messages in a loop (bench/smtp_loop.tcl),
run whole (process start included) under tclsh+tcllib and under
`python -m tclsmtp run`, against postfix's smtp-sink on loopback.

    .venv/bin/python bench/smtp_loop.py [COUNT] [ROUNDS]

Prints both wall-clock times (best of ROUNDS), and the ratio.
"""
from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from smtp_common import run_script, smtp_sink  # noqa: E402


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    script = (Path(__file__).parent / "smtp_loop.tcl").read_text()
    walls: dict[str, list[float]] = {"tcllib": [], "tclsmtp": []}
    cpus: dict[str, list[float]] = {"tcllib": [], "tclsmtp": []}
    with smtp_sink() as port:
        run_script(script, "tclsmtp", str(port), "1")     # warm-up: caches compiled modules
        for _ in range(rounds):                # interleaved, so both see the same load
            for engine in walls:
                elapsed, out, cpu = run_script(script, engine, str(port), str(count))
                assert out.startswith(f"sent {count} in "), out
                walls[engine].append(elapsed)
                cpus[engine].append(cpu)
    for engine in walls:
        best, median = min(walls[engine]), statistics.median(walls[engine])
        print(f"{engine:8s} {count} messages: best {best*1000:7.1f} ms, median {median*1000:7.1f} ms "
              f"({best/count*1000:.2f} ms/message; CPU {min(cpus[engine])*1000:.0f} ms; "
              f"{rounds} runs, process start included)")
    ratio = min(walls["tcllib"]) / min(walls["tclsmtp"])
    print(f"ratio    tcllib/tclsmtp = {ratio:.1f}x (best runs; "
          f"medians: {statistics.median(walls['tcllib']) / statistics.median(walls['tclsmtp']):.1f}x)")


if __name__ == "__main__":
    from reference import use_reference_tcllib
    use_reference_tcllib()
    main()
