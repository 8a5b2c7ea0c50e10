"""Deep and wide messages through the Tcl commands: any nesting depth
parses, builds, sizes and finalizes without RecursionError and in memory
linear in the message; a parsed -file multipart builds reading its file
once, not once per part; a Content-Type with very many parameters parses
in linear time."""
from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest


def _nested(depth: int) -> str:
    """``depth`` multiparts, each holding the next, with a text part inside."""
    head = "".join(f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"
                   for i in range(depth))
    tail = "".join(f"\n--b{i}--\n" for i in reversed(range(depth)))
    return head + "Content-Type: text/plain\n\ninnermost" + tail


_DEEP_CHILD = textwrap.dedent("""
    import json, sys, time, tkinter
    import tclsmtp
    depth, source, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    t = tkinter.Tcl(); tclsmtp.install(t); t.eval("package require mime")
    started = time.monotonic()
    if source == "string":
        t.call("set", "m", open(path).read())
        token = t.eval("mime::initialize -string $m")
    else:
        token = t.call("mime::initialize", "-file", path)
    built = t.call("mime::buildmessage", token)
    size = t.call("mime::getsize", token) if t.eval("info commands mime::getsize") else ""
    inner = token + "-1" * depth
    body = t.call("mime::getbody", inner)
    body = body.decode("latin-1") if isinstance(body, bytes) else body
    t.call("mime::finalize", token, "-subordinates", "all")
    with open("/proc/self/status") as f:
        peak = next(int(line.split()[1]) for line in f if line.startswith("VmHWM:"))
    print(json.dumps({"seconds": time.monotonic() - started, "peak_kb": peak, "body": body,
                      "built": len(built)}))
""")


@pytest.mark.parametrize("source", ["string", "file"])
def test_ten_thousand_levels(tmp_path, source):
    """Before: RecursionError (an internal error) from ~990 levels; 10,000
    levels by -string took 13.6 s and 3.4 GB before failing."""
    depth = 10_000
    path = tmp_path / "deep.eml"
    path.write_text(_nested(depth))
    child = subprocess.run([sys.executable, "-c", _DEEP_CHILD, str(depth), source, str(path)],
                           capture_output=True, text=True, timeout=120)
    assert child.returncode == 0, child.stderr[-2000:]
    result = json.loads(child.stdout)
    assert result["body"] == "innermost"
    assert result["built"] > path.stat().st_size // 2
    assert result["peak_kb"] < 400_000          # the message is ~0.6 MB
    assert result["seconds"] < 60


def test_deep_canonical_parts_build(interp):
    """A tree made with -parts, 5,000 levels: buildmessage streams it."""
    interp.eval("""package require mime
        set t [mime::initialize -canonical text/plain -string leaf]
        for {set i 0} {$i < 5000} {incr i} {
            set t [mime::initialize -canonical multipart/mixed -parts [list $t]]
        }""")
    built = interp.eval("mime::buildmessage $t")
    assert built.count("leaf") == 1 and built.count("Content-Type: multipart/mixed") == 5000
    interp.eval("mime::finalize $t -subordinates all")


def _read_bytes() -> int:
    with open("/proc/self/io") as f:
        return next(int(line.split()[1]) for line in f if line.startswith("rchar:"))


def test_a_parsed_file_multipart_is_read_once_per_build(interp, tmp_path):
    """Each -file part's encoding is chosen from the whole file (tcllib's
    rule); it was read again for each of the parts: 5,000 parts, 88 s."""
    parts = 2000
    path = tmp_path / "wide.eml"
    path.write_text("Content-Type: multipart/mixed; boundary=b\n\n" +
                    "".join(f"--b\nContent-Type: text/plain\n\npart {i}\n" for i in range(parts)) +
                    "--b--\n")
    interp.eval("package require mime")
    token = interp.call("mime::initialize", "-file", str(path))
    before = _read_bytes()
    built = interp.call("mime::buildmessage", token)
    read = _read_bytes() - before
    if isinstance(built, str):
        built = built.encode("latin-1")
    assert built.count(b"part ") == parts
    # each part's own slice is read through a buffer (at most 16 KiB here);
    # the whole file once per part was ~parts * size (158 MB)
    assert read < 10 * path.stat().st_size + parts * 16384


def test_a_content_type_with_200000_parameters(interp):
    """The lexer sliced the rest of the value after every lexeme (100,000
    parameters: 23 s, quadratic)."""
    count = 200_000
    header = "Content-Type: text/plain" + "".join(f"; p{i}=v{i}" for i in range(count))
    interp.eval("package require mime")
    interp.call("set", "m", header + "\n\nbody\n")
    token = interp.eval("mime::initialize -string $m")
    params = interp.call("mime::getproperty", token, "params")
    assert len(interp.tk.splitlist(params)) == 2 * count
