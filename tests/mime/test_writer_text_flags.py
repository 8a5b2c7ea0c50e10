"""The transfer-encoding choice for a string body: tclsmtp scans the whole
body at C speed (writer._text_flags); tcllib asks encodingasciiP and
encodinglineP of each line. Both procs are taken from tcllib 2.0's own
mime.tcl and run in a Tcl interpreter, line by line as ::mime::encoding
does, for the expected values."""
from __future__ import annotations

import re
import tkinter

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from reference import REFERENCE_TCLLIB

from tclsmtp.mime.writer import _text_flags


def _tcllib_proc(name: str) -> str:
    source = (REFERENCE_TCLLIB / "mime" / "mime.tcl").read_text(encoding="utf-8")
    match = re.search(rf"^proc ::mime::{name} .*?^\}}\n", source, re.S | re.M)
    assert match, name
    return match.group(0)


@pytest.fixture(scope="module")
def tcllib_flags():
    interp = tkinter.Tcl()
    interp.eval("namespace eval ::mime {}")
    interp.eval(_tcllib_proc("encodingasciiP"))
    interp.eval(_tcllib_proc("encodinglineP"))
    # ::mime::encoding's loop over a string value, without its early exit
    interp.eval("""proc flags {text} {
        set asciiP 1
        set lineP 1
        foreach line [split $text "\\n"] {
            if {$asciiP} {set asciiP [::mime::encodingasciiP $line]}
            if {$lineP} {set lineP [::mime::encodinglineP $line]}
        }
        list $asciiP $lineP
    }""")
    # As bytes: tkinter hands Tcl a str holding NUL in a form that string
    # commands cut short at the NUL (shared/notes/tcllib-reference.md).
    yield lambda text: tuple(bool(int(x)) for x in interp.call("flags", text.encode("latin-1")))
    interp.eval("rename flags {}")


# ASCII pieces that decide the flags: blanks and controls at line ends,
# leading dots and "From ", long lines, CR, DEL.
PIECES = st.sampled_from(["a", "b c", " ", "\t", "\n", "\r", "\r\n", ".", "From ", "From",
                          "\x0b", "\x0c", "\x00", "\x01", "\x7f", "~", "x" * 38, "y" * 76])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=12).map("".join))
@example("")
@example("x" * 76 + "\n" + "y" * 76)
@example("x" * 77)
@example("line \nnext")
@example("a\n.b")
@example("a\nFrom me")
@example("a\r\nb")
@example("\x00a\n")
def test_the_ascii_scan_agrees_with_tcllib_line_by_line(tcllib_flags, text):
    assert _text_flags(text) == tcllib_flags(text)
