"""Batch calls to tcllib's token-less mime:: commands in one tclsh run.

Arguments and results cross as lists of code points (JSON), so any
character (and any byte) survives the trip whatever the locale. A result is
``("ok", value)`` or ``("error", message)``; ``value`` is a str, or a list
(of lists) of str for the commands that return Tcl lists.
"""
from __future__ import annotations

import json
from typing import Any, Sequence

from reference import run_tclsh

_PRELUDE = r"""
package require mime
proc S {l} {set s ""; foreach c $l {append s [format %c $c]}; return $s}
proc J {s} {
    set l {}
    foreach ch [split $s ""] {lappend l [scan $ch %c]}
    return "\[[join $l ,]\]"
}
proc JL {shape v} {
    switch -- $shape {
        s {return [J $v]}
        l {set out {}; foreach x $v {lappend out [J $x]}; return "\[[join $out ,]\]"}
        ll {set out {}; foreach x $v {lappend out [JL l $x]}; return "\[[join $out ,]\]"}
    }
}
proc run {shape cmd} {
    if {[catch {uplevel #0 $cmd} r]} {
        puts "\{\"error\": [J $r]\}"
    } else {
        puts "\{\"ok\": [JL $shape $r]\}"
    }
}
"""


def _arg(value: str) -> str:
    return "[S {" + " ".join(str(ord(c)) for c in value) + "}]"



def _shape_decode(shape: str, node: Any) -> Any:
    if shape == "s":
        return "".join(map(chr, node))
    if shape == "l":
        return ["".join(map(chr, x)) for x in node]
    return [_shape_decode("l", x) for x in node]


def tcllib_calls(command: str, cases: Sequence[Sequence[str]], shape: str = "s",
                 setup: str = "") -> list[tuple[str, Any]]:
    """Run ``command ARG...`` under tclsh + tcllib for each case."""
    lines = [_PRELUDE, setup]
    for args in cases:
        call = command + " " + " ".join(_arg(a) for a in args)
        lines.append(f"run {shape} {{{call}}}")
    run = run_tclsh("\n".join(lines) + "\n")
    assert run.returncode == 0, run.stderr
    results = []
    for line in run.stdout.splitlines():
        answer = json.loads(line)
        if "error" in answer:
            results.append(("error", "".join(map(chr, answer["error"]))))
        else:
            results.append(("ok", _shape_decode(shape, answer["ok"])))
    assert len(results) == len(cases), run.stdout[-2000:]
    return results


def python_call(fn, *args: str) -> tuple[str, Any]:
    """The same shape of answer from one of our primitives."""
    from tclsmtp.errors import ScriptError
    try:
        value = fn(*args)
    except ScriptError as e:
        return ("error", e.message)
    if isinstance(value, (list, tuple)):
        value = [list(x) if isinstance(x, (list, tuple)) else x for x in value]
    return ("ok", value)
