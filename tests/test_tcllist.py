"""Tcl list quoting and splitting, checked against a real Tcl interpreter."""
from __future__ import annotations

import tkinter

import pytest
from hypothesis import given, settings, strategies as st

from tclsmtp.errors import ScriptError
from tclsmtp.tcllist import split_list, tcl_list

TCL = tkinter.Tcl()
_text = st.text(alphabet=st.sampled_from(list('ab #{}[]$;"\\ \t\n\r\x0b\x0cé')), max_size=12)


@settings(max_examples=400, deadline=None)
@given(st.lists(_text, max_size=4))
def test_quoting_reads_back_in_tcl(items):
    text = tcl_list(items)
    TCL.setvar("tclsmtp_test_list", text)
    assert TCL.eval("llength $tclsmtp_test_list") == str(len(items))
    for i, item in enumerate(items):
        assert TCL.eval(f"lindex $tclsmtp_test_list {i}") == item


def tcl_list_command(items):
    """What Tcl's own `list` command makes of ``items``."""
    for i, item in enumerate(items):
        TCL.setvar(f"tclsmtp_item{i}", item)
    return TCL.eval("list " + " ".join(f"$tclsmtp_item{i}" for i in range(len(items))))


@settings(max_examples=400, deadline=None)
@given(st.lists(_text, max_size=4))
def test_quoting_is_tcls_own(items):
    assert tcl_list(items) == tcl_list_command(items)


@pytest.mark.parametrize("items", [
    ["diagnostic", "5.7.1 sender refused", "args", "", "code", "553"],
    ["bad@x.org", "550", "5.1.1 no such user"],
    ["a", "b c", "{x}", "#c", "d#"],
    ["x{", "}", "a\\", "\\"],
])
def test_quoting_examples(items):
    assert tcl_list(items) == tcl_list_command(items)


@settings(max_examples=400, deadline=None)
@given(_text)
def test_split_list_agrees_with_tcl(text):
    _assert_splits_as_tcl(text)


@pytest.mark.parametrize("text", [
    "\\777a \\477 \\377 \\400 \\1 \\12x",         # octal: a third digit only while it fits a byte
    "\\x41 \\x4142 \\x \\u00e9 \\u12345",          # hex: at most 2 digits after \x
    '"a"zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz',    # the error quotes 20 characters of junk
    "{a}bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
    "a\\\n   b {c\\\n d} \"e\\\n f\"",               # backslash-newline
])
def test_split_list_escape_examples(text):
    _assert_splits_as_tcl(text)


def _assert_splits_as_tcl(text):
    TCL.setvar("tclsmtp_test_list", text)
    try:
        n = int(TCL.eval("llength $tclsmtp_test_list"))
    except tkinter.TclError as e:
        with pytest.raises(ScriptError) as err:
            split_list(text)
        assert err.value.message == str(e)
        return
    assert split_list(text) == [TCL.eval(f"lindex $tclsmtp_test_list {i}") for i in range(n)]
