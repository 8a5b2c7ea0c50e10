"""The helper-process transport (plain tclsh, TCLLIBPATH from `tclsmtp
tcl-path`) against tcllib and against `tclsmtp run` (the in-process bridge):

1. start-up: `tclsh` + `package require smtp` + `package require mime`
   (with the helper: its Python process started and answering);
2. per message, in a loop of COUNT sends (bench/smtp_loop.tcl, one
   connection each, to postfix's smtp-sink on loopback): the time of a run
   of COUNT sends minus that of a run of none, divided by COUNT.

    .venv/bin/python bench/helper_transport.py [COUNT] [ROUNDS]

Best of ROUNDS runs each, interleaved so all see the same machine load.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from smtp_common import run_script, smtp_sink  # noqa: E402

ENGINES = ("tcllib", "tclsmtp", "helper")
LABELS = {"tcllib": "tclsh + tcllib", "tclsmtp": "tclsmtp run (bridge)",
          "helper": "tclsh + helper"}
STARTUP = "package require smtp\npackage require mime\nputs ok\n"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    loop = (Path(__file__).parent / "smtp_loop.tcl").read_text()
    start: dict[str, list[float]] = {e: [] for e in ENGINES}
    empty: dict[str, list[float]] = {e: [] for e in ENGINES}
    full: dict[str, list[float]] = {e: [] for e in ENGINES}
    with smtp_sink() as port:
        for engine in ENGINES[1:]:               # warm-up: caches compiled modules
            run_script(loop, engine, str(port), "1")
        for _ in range(rounds):
            for engine in ENGINES:
                start[engine].append(run_script(STARTUP, engine)[0])
                empty[engine].append(run_script(loop, engine, str(port), "0")[0])
                elapsed, out, _ = run_script(loop, engine, str(port), str(count))
                assert out.startswith(f"sent {count} in "), out
                full[engine].append(elapsed)
    print(f"start-up (tclsh + package require smtp mime), best of {rounds}:")
    for engine in ENGINES:
        print(f"  {LABELS[engine]:22s} {min(start[engine]) * 1000:7.1f} ms")
    print(f"  helper/tcllib = {min(start['helper']) / min(start['tcllib']):.1f}x")
    per = {e: (min(full[e]) - min(empty[e])) / count for e in ENGINES}
    print(f"per message over {count} sends (run of {count} minus run of 0, best of {rounds}):")
    for engine in ENGINES:
        print(f"  {LABELS[engine]:22s} {per[engine] * 1000:7.2f} ms/message")
    print(f"  tcllib/helper = {per['tcllib'] / per['helper']:.1f}x faster with the helper; "
          f"tcllib/bridge = {per['tcllib'] / per['tclsmtp']:.1f}x")


if __name__ == "__main__":
    main()
