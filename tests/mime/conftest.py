"""Comparing mime:: commands with tcllib, many cases per tclsh run.

``compare(cases, setup)`` runs every (name, script) case in one tclsh with
tcllib and in one tkinter interpreter with tclsmtp installed, in the same
order (so token numbers and Content-ID counters line up), and returns the
pairs of results, normalized for what legitimately differs: process ids,
clock seconds, host names, generated boundaries, and tcllib 1.7.0's
duplicated ``boundary=`` parameter (1.7.2 writes it once).
"""
from __future__ import annotations

import re
import tkinter
from dataclasses import dataclass
from typing import Sequence

import pytest

import tclsmtp
from reference import run_tclsh

HARNESS = r"""
package require mime
namespace eval ::T { variable lines {} }
proc ::T::hex {s} { binary scan [encoding convertto utf-8 $s] H* h; return $h }
proc ::T::case {name script} {
    set code [catch {uplevel #0 $script} result opts]
    set ec {}
    if {$code == 1 && [dict exists $opts -errorcode]} { set ec [dict get $opts -errorcode] }
    lappend ::T::lines "$name $code [::T::hex $result] [::T::hex $ec]"
}
"""


@dataclass(frozen=True)
class Result:
    code: int
    value: str
    errorcode: str


_CID = re.compile(r"<\d+\.\d+\.(\d+)@[^>]*>")
_BOUNDARY = re.compile(r"----- =_[A-Za-z0-9+/]+=*")
# tcllib 1.7.0 repeats the generated boundary parameter on a line of its own
# (or gives it there only, when the type has other parameters). The repeat
# is the one its delimiters use: it differs from the first when the clock
# ticked in between (tcllib derives both from [clock seconds]).
_DUP_BOUNDARY = re.compile(r'boundary="[^"]*"\r?\n;\r?\n              (boundary="[^"]*")')
_LONE_BOUNDARY = re.compile(r'\r?\n;(\r?\n              boundary=")')


def normalize(text: str, reference: bool) -> str:
    if reference:
        text = _DUP_BOUNDARY.sub(r"\1", text)
        text = _LONE_BOUNDARY.sub(r";\1", text)
    text = _CID.sub(r"<PID.TIME.\1@HOST>", text)
    seen: dict[str, str] = {}
    return _BOUNDARY.sub(lambda m: seen.setdefault(m.group(), f"BOUNDARY{len(seen) + 1}"), text)


def _parse(output: str, reference: bool) -> dict[str, Result]:
    results = {}
    for line in output.splitlines():
        name, code, value, ec = (line.split(" ") + ["", ""])[:4]
        results[name] = Result(int(code), normalize(bytes.fromhex(value).decode("utf-8", "surrogateescape"), reference),
                               bytes.fromhex(ec).decode("utf-8"))
    return results


def _script(cases: Sequence[tuple[str, str]], setup: str) -> str:
    body = [HARNESS, setup]
    for name, script in cases:
        assert " " not in name
        body.append(f"::T::case {name} {{{script}}}")
    return "\n".join(body) + "\n"


def run_both(cases: Sequence[tuple[str, str]], setup: str = "") -> tuple[dict[str, Result], dict[str, Result]]:
    script = _script(cases, setup)
    ref = run_tclsh(script + "puts [join $::T::lines \\n]\n")
    assert ref.returncode == 0, ref.stderr
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval(script)
    ours = interp.eval("join $::T::lines \\n")
    return _parse(ref.stdout, True), _parse(ours, False)


@pytest.fixture
def compare(tcllib):
    """compare(cases, setup="") -> list of mismatch descriptions (empty: all equal)."""
    def run(cases: Sequence[tuple[str, str]], setup: str = "", skip_errorcode: bool = False) -> list[str]:
        ref, ours = run_both(cases, setup)
        bad = []
        for name, script in cases:
            r, o = ref[name], ours[name]
            if skip_errorcode:
                r, o = Result(r.code, r.value, ""), Result(o.code, o.value, "")
            if r != o:
                bad.append(f"{name}: {script}\n  tcllib: {r}\n  ours:   {o}")
        return bad
    return run
