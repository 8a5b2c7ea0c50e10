"""Every smtp benchmark side by side, in one run: tcllib 2.0, Python's
smtplib + email, tclsmtp, tclsmtp with keepalive, tclsmtp under a plain
tclsh (the helper transport); against postfix's smtp-sink on loopback. Writes bench/results.md and bench/results.png.

    .venv/bin/python bench/run_all.py [--quick] [--gb]

Needs: postfix (smtp-sink: apt-get install postfix), tclsh, tcllib 2.0 in
../shared/reference/tcllib-2.0 (or TCLLIB20=DIR), and for the chart
matplotlib (a bench-only dependency: .venv/bin/pip install matplotlib;
without it only results.md is written). --gb adds the 1 GB attachment
(tclsmtp and the naive encoder only: tcllib needs ~5x the file in memory).

What is measured:
- loop: a Tcl script sends N messages of a given body size, one
  smtp::sendmessage (one connection, unless keepalive) each, a fresh token
  each; the script times its own loop (clock microseconds), so process
  start-up is not in the per-message figure. The same script runs under
  `tclsmtp run` and under a plain tclsh with TCLLIBPATH from `tclsmtp
  tcl-path` (the helper process). smtplib + email does the same
  in Python (one connection per message), and postfix's smtp-source (C)
  with one connection per message and with one for all (-d); and the floor:
  a bare Python loop on one connection, commands pipelined, the message
  built before the clock starts.
- attachment: smtp::sendmessage of a multipart message with a -file
  attachment (base64), whole process: wall time and peak RSS; the naive
  encoder reads, base64-encodes, dot-stuffs and sendall()s in Python; the
  sink's ceiling is the transfer alone of the same bytes encoded beforehand.
- start-up: tclsh + package require smtp mime + exit, against `tclsmtp run`
  of the same script and a plain tclsh with the helper.
Runs are interleaved so that all engines see the same machine load.
"""
from __future__ import annotations

import argparse
import datetime
import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))
from smtp_common import sink_cpu_seconds, smtp_sink  # noqa: E402

TCLLIB20 = Path(os.environ.get("TCLLIB20", ROOT.parent / "shared" / "reference" / "tcllib-2.0"
                               / "modules"))

# The loop of one smtp::sendmessage per message, a fresh token each.
LOOP_TCL = (HERE / "smtp_loop.tcl").read_text(encoding="utf-8")

# The same attachment send as bench/smtp_large_attachment.py's.
ATTACH_TCL = (HERE / "smtp_large_attachment.tcl").read_text(encoding="utf-8")

STARTUP_TCL = "package require smtp\npackage require mime\nexit 0\n"

SMTPLIB_LOOP = r"""
import smtplib, sys, time
from email.message import EmailMessage
port, count, size = (int(a) for a in sys.argv[1:4])
body = "All work and no play makes a dull report.\n" * (size // 42 + 1)
start = time.perf_counter()
for i in range(count):
    msg = EmailMessage()
    msg["Subject"] = f"loop {i}"
    msg["From"] = "bench@example.com"
    msg["To"] = "sink@example.com"
    msg.set_content(f"Message {i}\n{body}")
    with smtplib.SMTP("127.0.0.1", port) as smtp:
        smtp.send_message(msg)
print(int((time.perf_counter() - start) * 1e6))
"""

# The floor for keepalive on this machine and sink: one connection, the
# commands pipelined as tclsmtp sends them (RSET MAIL RCPT DATA, then the
# message and the dot), the message built once before the clock starts, no
# MIME and no Tcl: what is left is the sink's and the kernel's share.
FLOOR_LOOP = r"""
import socket, sys, time
port, count, size = (int(a) for a in sys.argv[1:4])
body = b"All work and no play makes a dull report.\r\n" * (size // 42 + 1)
message = (b"From: bench@example.com\r\nTo: sink@example.com\r\nSubject: loop\r\n\r\n"
           + body + b".\r\n")
sock = socket.create_connection(("127.0.0.1", port))
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
replies = sock.makefile("rb")
def reply():
    while (line := replies.readline())[3:4] == b"-":
        pass
    return line
reply()
sock.sendall(b"EHLO bench.example.com\r\n")
reply()
start = time.perf_counter()
for i in range(count):
    sock.sendall((b"RSET\r\n" if i else b"")
                 + b"MAIL FROM:<bench@example.com>\r\nRCPT TO:<sink@example.com>\r\nDATA\r\n")
    for _ in range(4 if i else 3):
        reply()
    sock.sendall(message)
    reply()
print(int((time.perf_counter() - start) * 1e6))
sock.sendall(b"QUIT\r\n")
reply()
"""

# Both attachment baselines open the transaction the same way, up to DATA.
OPEN_DATA = r"""
smtp = smtplib.SMTP("127.0.0.1", port)
smtp.ehlo()
smtp.mail("reports@example.org")
smtp.rcpt("ops@example.org")
code, _ = smtp.docmd("DATA")
assert code == 354, code
"""

# The naive streaming encoder: read, base64, dot-stuff, sendall.
NAIVE_ATTACH = r"""
import base64, smtplib, sys
infile, port = sys.argv[1], int(sys.argv[2])
""" + OPEN_DATA + r"""
head = (b"Subject: Monthly report\r\nMIME-Version: 1.0\r\n"
        b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
        b"Content-Type: text/plain\r\n\r\nThe report is attached.\r\n--b\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n")
smtp.sock.sendall(head)
with open(infile, "rb") as f:
    while block := f.read(57 * 1024):
        data = base64.encodebytes(block).replace(b"\n", b"\r\n")
        smtp.sock.sendall(data.replace(b"\r\n.", b"\r\n.."))
smtp.sock.sendall(b"--b--\r\n.\r\n")
code, _ = smtp.getreply()
assert code == 250, code
smtp.quit()
"""

# The sink's ceiling for an attachment: the same base64 (CR LF lines),
# encoded before the clock starts, written to the sink with the kernel's
# unsent queue limited as tclsmtp limits it (tclsmtp/smtp/wire.py). No
# encoder can send faster than this; it prints the transfer's seconds, not
# the process's.
WIRE_ONLY = r"""
import base64, smtplib, socket, sys, time
infile, port = sys.argv[1], int(sys.argv[2])
data = base64.encodebytes(open(infile, "rb").read()).replace(b"\n", b"\r\n")
start = time.perf_counter()
""" + OPEN_DATA + r"""
smtp.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NOTSENT_LOWAT, 64 * 1024)
view = memoryview(data)
for i in range(0, len(data), 1 << 18):
    smtp.sock.sendall(view[i:i + (1 << 18)])
smtp.sock.sendall(b"\r\n.\r\n")
code, _ = smtp.getreply()
assert code == 250, code
print(time.perf_counter() - start)
smtp.quit()
"""

MEASURE = r"""
import resource, subprocess, sys, time
start = time.perf_counter()
p = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE)
wall = time.perf_counter() - start
sys.stdout.write(f"{p.returncode} {wall} {resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}\n")
sys.stdout.write(p.stdout.decode())
"""


_helper_path: list[str] = []


def _helper_tcl_path() -> str:
    """The `tclsmtp tcl-path` directory (written once a run)."""
    if not _helper_path:
        sys.path.insert(0, str(ROOT))
        from tclsmtp.helper.tclpath import write_tcl_path
        _helper_path.append(str(write_tcl_path()))
    return _helper_path[0]


def _env(engine: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("TCLSMTP_KEEPALIVE", None)
    if engine == "tcllib":
        env["TCLLIBPATH"] = str(TCLLIB20)
    else:
        if engine == "helper":
            env["TCLLIBPATH"] = _helper_tcl_path()
        # As installed: compiled modules cached.
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "tclsmtp-bench-pycache")
    if engine == "keepalive":
        env["TCLSMTP_KEEPALIVE"] = "60"
    return env


def _command(engine: str, script: Path, args: list[str]) -> list[str]:
    if engine in ("tcllib", "helper"):
        return ["tclsh", str(script), *args]
    if engine in ("smtplib", "naive", "wire", "floor"):
        return [sys.executable, str(script), *args]
    return [sys.executable, "-m", "tclsmtp", "run", str(script), *args]


def measure(engine: str, script: Path, args: list[str]) -> tuple[float, float, str]:
    """(wall seconds, peak RSS MiB, stdout) of one process."""
    p = subprocess.run([sys.executable, "-c", MEASURE, *_command(engine, script, args)],
                       capture_output=True, text=True, env=_env(engine))
    first, _, out = p.stdout.partition("\n")
    code, wall, rss = first.split()
    if code != "0":
        raise SystemExit(f"{engine} {script.name} failed ({code}): {p.stderr}")
    return float(wall), int(rss) / 1024, out


def smtp_source(port: int, count: int, size: int, flags: list[str]) -> float:
    """Seconds for postfix's smtp-source (C, no PIPELINING) to send ``count``
    messages of ``size`` bytes: one connection each, or all on one (-d)."""
    tool = shutil.which("smtp-source") or "/usr/sbin/smtp-source"
    start = time.perf_counter()
    subprocess.run([tool, *flags, "-m", str(count), "-l", str(size), "-s", "1",
                    f"127.0.0.1:{port}"], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in open("/proc/cpuinfo"):
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    tclsh = subprocess.run(["tclsh"], input="puts [info patchlevel]", capture_output=True,
                           text=True).stdout.strip()
    sys.path.insert(0, str(ROOT))
    from tclsmtp import __version__
    return (f"{platform.node()}: {cpu}, {os.cpu_count()} CPUs, {platform.system()} "
            f"{platform.release()}; load average {load} at the start (shared machine); "
            f"Python {platform.python_version()}, Tcl {tclsh}, tcllib 2.0 from {TCLLIB20}, "
            f"tclsmtp {__version__}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer messages and rounds")
    parser.add_argument("--gb", action="store_true", help="add a 1 GB attachment")
    ns = parser.parse_args()
    if not (TCLLIB20 / "mime" / "smtp.tcl").is_file():
        raise SystemExit(f"tcllib 2.0 not found in {TCLLIB20} (set TCLLIB20=DIR/modules)")
    rounds = 1 if ns.quick else 3
    header = machine()
    started = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    sizes = [1000, 10000, 100000]
    # Messages per run, by body size (tcllib takes 1.3 s a message at 100 kB).
    full = {"tcllib": (50, 20, 5), "smtplib": (1000, 500, 100), "tclsmtp": (1000, 500, 100),
            "keepalive": (1000, 500, 100), "helper": (1000, 500, 100), "floor": (1000, 500, 100)}
    counts = {e: dict(zip(sizes, (max(2, n // 5) for n in ns_) if ns.quick else ns_))
              for e, ns_ in full.items()}
    attach_mb = [10, 100] + ([1000] if ns.gb else [])
    loop: dict[tuple[str, int], list[float]] = {}
    attach: dict[tuple[str, int], list[tuple[float, float]]] = {}
    startup: dict[str, list[float]] = {"tcllib": [], "tclsmtp": [], "helper": []}
    sink_cpu: dict[tuple[str, int], list[float]] = {}    # smtp-sink's CPU seconds per send
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        scripts = {"loop.tcl": LOOP_TCL, "attach.tcl": ATTACH_TCL, "startup.tcl": STARTUP_TCL,
                   "loop.py": SMTPLIB_LOOP, "naive.py": NAIVE_ATTACH, "wire.py": WIRE_ONLY,
                   "floor.py": FLOOR_LOOP}
        for name, text in scripts.items():
            (d / name).write_text(text)
        with smtp_sink() as port:
            measure("tclsmtp", d / "startup.tcl", [])          # warm the module cache
            for r in range(rounds):
                for engine in startup:
                    startup[engine].append(measure(engine, d / "startup.tcl", [])[0])
                for size in sizes:
                    for engine, by_size in counts.items():
                        count = by_size[size]
                        script = d / {"smtplib": "loop.py", "floor": "floor.py"}.get(engine,
                                                                                     "loop.tcl")
                        _, _, out = measure(engine, script, [str(port), str(count), str(size)])
                        # the Python loops print US; smtp_loop.tcl "sent N in US us"
                        words = out.split()
                        micros = int(words[-1] if engine in ("smtplib", "floor") else words[-2])
                        loop.setdefault((engine, size), []).append(micros / count / 1000)
                        print(f"round {r + 1} loop {engine:9s} {size:6d} B: "
                              f"{loop[(engine, size)][-1]:.3f} ms/msg", flush=True)
                    for engine, flags in (("smtp-source", []), ("smtp-source -d", ["-d"])):
                        count = counts["tclsmtp"][size]
                        loop.setdefault((engine, size), []).append(
                            smtp_source(port, count, size, flags) / count * 1000)
                        print(f"round {r + 1} loop {engine:9s} {size:6d} B: "
                              f"{loop[(engine, size)][-1]:.3f} ms/msg", flush=True)
                for mb in attach_mb:
                    infile = d / f"attachment-{mb}.bin"
                    if not infile.exists():
                        with open(infile, "wb") as f:
                            for _ in range(mb):
                                f.write(os.urandom(1 << 20))
                    # tclsmtp and the naive encoder take turns at following tcllib's run
                    pair = ("tclsmtp", "naive") if r % 2 == 0 else ("naive", "tclsmtp")
                    for engine in ("tcllib", *pair):
                        if engine == "tcllib" and mb > 100:
                            continue
                        script = d / ("naive.py" if engine == "naive" else "attach.tcl")
                        cpu = sink_cpu_seconds(port)
                        wall, rss, _ = measure(engine, script, [str(infile), str(port)])
                        attach.setdefault((engine, mb), []).append((wall, rss))
                        if cpu is not None:
                            sink_cpu.setdefault((engine, mb), []).append(
                                sink_cpu_seconds(port) - cpu)
                        print(f"round {r + 1} attach {engine:7s} {mb:5d} MB: {wall:.2f} s "
                              f"{rss:.0f} MiB", flush=True)
                    if mb <= 100:          # (it holds the whole encoded file in memory)
                        wall, rss, out = measure("wire", d / "wire.py", [str(infile), str(port)])
                        attach.setdefault(("wire", mb), []).append((float(out.split()[-1]), rss))
    ended_load = " ".join(f"{x:.1f}" for x in os.getloadavg())
    write_results(header, started, ended_load, sizes, counts, loop, attach, startup, rounds,
                  sink_cpu)


def write_results(header, started, ended_load, sizes, counts, loop, attach, startup, rounds,
                  sink_cpu):
    best = {k: min(v) for k, v in loop.items()}
    lines = [
        "# tclsmtp benchmarks", "",
        f"{started}, `bench/run_all.py` ({rounds} rounds, best of each shown).", "",
        f"Machine: {header}; load average {ended_load} at the end.", "",
        "smtp-sink (postfix) on loopback. Ratios are within this run.", "",
        "## One message per smtp::sendmessage (ms per message, loop timed by the script)", "",
        "| body size | tcllib 2.0 | smtplib + email | smtp-source (C) | smtp-source -d (C) "
        "| floor | tclsmtp | tclsmtp keepalive | tclsmtp, plain tclsh (helper) "
        "| tcllib / tclsmtp | tcllib / keepalive | tcllib / helper |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for size in sizes:
        t, s, c, cd, f, o, k, h = (best[(e, size)] for e in (
            "tcllib", "smtplib", "smtp-source", "smtp-source -d", "floor", "tclsmtp", "keepalive",
            "helper"))
        lines.append(f"| {size} B | {t:.2f} | {s:.3f} | {c:.3f} | {cd:.3f} | {f:.3f} | {o:.3f} "
                     f"| {k:.3f} | {h:.3f} | {t / o:.0f}x | {t / k:.0f}x | {t / h:.0f}x |")
    per_run = "; ".join(f"{e} {', '.join(str(n) for n in by_size.values())}"
                        for e, by_size in counts.items())
    lines += ["", f"Messages per run (by body size): {per_run}. "
              "tclsmtp, smtplib and smtp-source open one connection per message; keepalive "
              "(TCLSMTP_KEEPALIVE=60) and smtp-source -d one for the run, RSET between "
              "messages. smtp-source (postfix's C load generator) does not pipeline; "
              "tclsmtp does when the sink offers it. helper: the same Tcl script under a "
              "plain tclsh with TCLLIBPATH from `tclsmtp tcl-path`, each call a round trip "
              "to the helper process over pipes. floor: a bare Python loop on one "
              "connection sending the commands pipelined as tclsmtp does and a message built "
              "before the clock starts (no MIME, no Tcl): the sink's and the kernel's share "
              "of a kept-alive send.", "",
              "## A -file attachment (base64), whole process", "",
              "Best of the rounds, and in brackets the ratio of the medians; tclsmtp and the "
              "naive encoder take turns at running right after tcllib.", "",
              "The sink's ceiling: the same base64, encoded before the clock starts, "
              "written with sendall in 256 KiB pieces, the kernel's unsent queue limited "
              "to 64 KiB as tclsmtp limits it (transfer only, no process start-up).", "",
              "smtp-sink's CPU: the sink's own CPU time during the send (median, from "
              "/proc/PID/schedstat), tclsmtp / naive encoder. The sink is the bottleneck "
              "of every run: its CPU time is about the transfer's time, and depends on how "
              "much the sender leaves unsent in the kernel. What is queued beyond the "
              "sink's window is sent when the sink's reads open it, from the sink's CPU; "
              "tclsmtp limits that queue to 64 KiB (TCP_NOTSENT_LOWAT); the naive "
              "encoder, being naive, does not (given the same limit it is about 2% "
              "quicker at 100 MB, still behind tclsmtp).", "",
              "| size | tcllib 2.0 | tclsmtp | naive Python encoder | tclsmtp / naive (medians) "
              "| sink's ceiling (transfer only) | smtp-sink's CPU, tclsmtp / naive |",
              "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for mb in sorted({mb for _, mb in attach}):
        cells = []
        for engine in ("tcllib", "tclsmtp", "naive"):
            runs = attach.get((engine, mb))
            if runs:
                wall = min(w for w, _ in runs)
                rss = max(r for _, r in runs)
                cells.append(f"{wall:.2f} s, {rss:.0f} MiB")
            else:
                cells.append("not run")
        ours = min(w for w, _ in attach[("tclsmtp", mb)])
        naive = min(w for w, _ in attach[("naive", mb)])
        median_ratio = (statistics.median(w for w, _ in attach[("tclsmtp", mb)])
                        / statistics.median(w for w, _ in attach[("naive", mb)]))
        wire = attach.get(("wire", mb))
        ceiling = f"{min(w for w, _ in wire):.2f} s" if wire else "not run"
        cpu = [sink_cpu.get((e, mb)) for e in ("tclsmtp", "naive")]
        sink = (f"{statistics.median(cpu[0]):.3f} / {statistics.median(cpu[1]):.3f} s"
                if cpu[0] and cpu[1] else "not measured")
        lines.append(f"| {mb} MB | {' | '.join(cells)} | {ours / naive:.2f} ({median_ratio:.2f}) "
                     f"| {ceiling} "
                     f"| {sink} |")
    t, o, h = (min(startup[e]) for e in ("tcllib", "tclsmtp", "helper"))
    medians = " / ".join(f"{statistics.median(startup[e]) * 1000:.0f}"
                         for e in ("tcllib", "tclsmtp", "helper"))
    lines += ["", "## Start-up: `package require smtp mime` and exit, whole process", "",
              f"tclsh + tcllib 2.0: {t * 1000:.0f} ms; `tclsmtp run`: {o * 1000:.0f} ms; "
              f"plain tclsh + the helper: {h * 1000:.0f} ms (medians {medians} ms).", ""]
    (HERE / "results.md").write_text("\n".join(lines))
    print("\n".join(lines))
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed: bench/results.png not written "
              "(.venv/bin/pip install matplotlib)")
        return
    fig, (a1, a2, a3) = plt.subplots(1, 3, figsize=(16, 5))
    for engine, label in (("tcllib", "tcllib 2.0"), ("smtplib", "smtplib + email"),
                          ("smtp-source", "smtp-source (C)"),
                          ("smtp-source -d", "smtp-source -d (C, one connection)"),
                          ("floor", "floor (pipelined, pre-built, one connection)"),
                          ("tclsmtp", "tclsmtp"), ("keepalive", "tclsmtp keepalive"),
                          ("helper", "tclsmtp, plain tclsh (helper)")):
        a1.plot(sizes, [best[(engine, s)] for s in sizes], marker="o", label=label)
    a1.set(xscale="log", yscale="log", xlabel="message body (bytes)", ylabel="ms per message",
           title="one smtp::sendmessage per message")
    a1.legend()
    for engine, label in (("tcllib", "tcllib 2.0"), ("tclsmtp", "tclsmtp"), ("naive", "naive encoder")):
        mbs = sorted(mb for e, mb in attach if e == engine)
        a2.plot(mbs, [min(w for w, _ in attach[(engine, mb)]) for mb in mbs], marker="o", label=label)
        a3.plot(mbs, [max(r for _, r in attach[(engine, mb)]) for mb in mbs], marker="o", label=label)
    a2.set(xscale="log", yscale="log", xlabel="attachment (MB)", ylabel="seconds",
           title="-file attachment, base64")
    a3.set(xscale="log", yscale="log", xlabel="attachment (MB)", ylabel="peak RSS (MiB)",
           title="-file attachment: peak memory")
    a2.legend()
    a3.legend()
    fig.suptitle(f"{started} — {header}", fontsize=7)
    fig.tight_layout()
    fig.savefig(HERE / "results.png", dpi=110)
    print(f"wrote {HERE / 'results.md'} and {HERE / 'results.png'}")


if __name__ == "__main__":
    main()
