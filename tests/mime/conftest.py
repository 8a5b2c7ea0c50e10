"""Comparing mime:: commands with tcllib, many cases per tclsh run.

``compare(cases, setup)`` runs every (name, script) case in one tclsh with
tcllib and in one tkinter interpreter with tclsmtp installed, in the same
order (so token numbers and Content-ID counters line up), and returns the
pairs of results, normalized for what legitimately differs: process ids,
clock seconds, host names and generated boundaries. The reference is tcllib
2.0 (tests/reference.py).
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
# tcllib derives a multipart's generated boundary from [clock seconds] each
# time it is asked, so a case whose buildmessage and getheader fall in two
# seconds shows two (ours is kept: docs/compat.md). Within a case, the
# reference's clock seconds hold still.
proc ::T::seconds {} { return $::T::now }
set ::T::now [::tcl::clock::seconds]
namespace ensemble configure ::clock -map \
    [dict replace [namespace ensemble configure ::clock -map] seconds ::T::seconds]
proc ::T::case {name script} {
    set ::T::now [::tcl::clock::seconds]
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


def normalize(text: str) -> str:
    text = _CID.sub(r"<PID.TIME.\1@HOST>", text)
    seen: dict[str, str] = {}
    return _BOUNDARY.sub(lambda m: seen.setdefault(m.group(), f"BOUNDARY{len(seen) + 1}"), text)


def _parse(output: str) -> dict[str, Result]:
    results = {}
    for line in output.splitlines():
        name, code, value, ec = (line.split(" ") + ["", ""])[:4]
        results[name] = Result(int(code), normalize(bytes.fromhex(value).decode("utf-8", "surrogateescape")),
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
    return _parse(ref.stdout), _parse(ours)


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
