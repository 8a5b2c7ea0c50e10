"""The token-less mime:: commands through a real interpreter (tkinter.Tcl()
+ tclsmtp.install, A1's Tcl procs), against tcllib in tclsh: the same
script, the same answers, including errors and non-Latin-1 text."""
from __future__ import annotations

import json

from reference import run_tclsh
from test_functions_reference import _PRELUDE, _arg

_COLLECT = r"""
set ::out {}
proc run {shape cmd} {
    if {[catch {uplevel #0 $cmd} r]} {
        lappend ::out "\{\"error\": [J $r]\}"
    } else {
        lappend ::out "\{\"ok\": [JL $shape $r]\}"
    }
}
"""

CALLS = [
    ("s", "mime::qp_encode", ("caf\u00e9 = \u4e2d\u6587 \nFrom here\n.\n" + "x" * 80 + " ",)),
    ("s", "mime::qp_encode", ("a_b?c d", "1")),
    ("s", "mime::qp_encode", ("no soft break " * 10, "0", "1")),
    ("s", "mime::qp_encode", ("x", "maybe")),
    ("s", "mime::qp_encode", ()),
    ("s", "mime::qp_decode", ("caf=C3=A9 =\nsoft   \n=3D", )),
    ("s", "mime::qp_decode", ("a_b", "1")),
    ("s", "mime::mapencoding", ("iso8859-1",)),
    ("s", "mime::mapencoding", ("bogus",)),
    ("s", "mime::reversemapencoding", ("LATIN1",)),
    ("s", "mime::word_encode", ("utf-8", "base64", "\u4e2d\u6587 caf\u00e9 " * 5, "-charset_encoded", "0")),
    ("s", "mime::word_encode", ("iso8859-1", "quoted-printable", "caf\u00e9", "-charset_encoded", "0",
                                "-maxlength", "20")),
    ("s", "mime::word_encode", ("utf-8", "base64", "caf\u00c3\u00a9")),
    ("s", "mime::word_encode", ("bogus", "base64", "x")),
    ("s", "mime::word_encode", ("utf-8", "base64", "x", "-maxlength")),
    ("l", "mime::word_decode", ("=?UTF-8?B?5Lit5paH?=",)),
    ("l", "mime::word_decode", ("=?bogus?Q?x?=",)),
    ("s", "mime::field_decode", ("Re: =?UTF-8?B?5Lit5paH?= =?ISO-8859-1?Q?caf=E9?= ok",)),
    ("ll", "mime::parseaddress", ("\"Joe Q. Public\" <john.q.public@example.com>, Group: a@b, c;, "
                                  "\u00e9l\u00e8ve@\u00e9cole.fr (\u4e2d), bad@@x",)),
    ("ll", "mime::parseaddress", ()),
    ("s", "mime::parsedatetime", ("Sat, 28 Nov 2026 14:54:06 -0500", "proper")),
    ("s", "mime::parsedatetime", ("Tue, 1 Jul 2003 10:52:37 +0200 (CEST)", "clock")),
    ("s", "mime::parsedatetime", ("Sat, 28 Nov 2026 14:54:06 +0000", "zone")),
    ("s", "mime::parsedatetime", ("garbage here", "clock")),
    ("s", "mime::parsedatetime", ("1 Jan 2000 00:00:00 GMT", "tzone")),
    ("s", "mime::parsedatetime", ("1 Sep 2000 00:00:00 GMT", "lmonth")),
]


def _script() -> str:
    lines = [_PRELUDE, _COLLECT]
    for shape, command, args in CALLS:
        call = command + " " + " ".join(_arg(a) for a in args)
        lines.append(f"run {shape} {{{call}}}")
    return "\n".join(lines) + "\n"


def test_commands_through_the_interpreter_match_tcllib(tcllib, interp):
    script = _script()
    ref = run_tclsh(script + "puts [join $::out \\n]\n")
    assert ref.returncode == 0, ref.stderr
    expected = [json.loads(line) for line in ref.stdout.splitlines()]
    interp.eval(script)
    ours = [json.loads(line) for line in interp.eval("join $::out \\n").splitlines()]
    assert interp.eval("package present mime") == "1.7.2"
    assert len(ours) == len(expected) == len(CALLS)
    for call, got, want in zip(CALLS, ours, expected):
        assert got == want, call


def test_uniqueid_through_the_interpreter(interp):
    import os
    import re
    interp.eval("package require mime")
    first, second = interp.eval("mime::uniqueID"), interp.eval("mime::uniqueID")
    pattern = re.compile(rf"<{os.getpid()}\.\d+\.(\d+)@.+>\Z")
    assert [pattern.match(first).group(1), pattern.match(second).group(1)] == ["1", "2"]


def test_surrogates_cross_the_bridge_as_with_tcllib(tcllib, interp):
    # Tcl 8.6 keeps a lone surrogate from UTF-8 ED A0 80 and joins a
    # UTF-8-encoded surrogate pair; a bare surrogate handed back to tkinter
    # would fail (or crash it), so results carry tkinter's own form.
    script = r"""
package require mime
set out {}
foreach w {=?UTF-8?B?7aCA?= =?UTF-8?B?7aC97biA?= =?UTF-8?Q?a=ED=A0=80b?=} {
    set d [mime::field_decode $w]
    binary scan [encoding convertto utf-8 $d] H* h
    lappend out [string length $d] $h
}
set lone [encoding convertfrom utf-8 \xed\xa0\x80]
binary scan [encoding convertto utf-8 [mime::qp_encode "x${lone}y"]] H* h
lappend out $h
binary scan [encoding convertto utf-8 [lindex [mime::parseaddress "${lone}@b"] 0 1]] H* h
lappend out $h
"""
    ref = run_tclsh(script + "puts $out\n")
    assert ref.returncode == 0, ref.stderr
    interp.eval(script)
    assert interp.eval("set out") == ref.stdout.strip()
