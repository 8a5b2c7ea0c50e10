"""Strings holding a NUL and a character above U+00FF come back unchanged,
as from tcllib 2.0: tkinter hands Tcl such a Python str as a Unicode object
whose string form gets the NUL wrong, so the bridge sends them as UTF-8
(tclsmtp/bridge/__init__.py, "utf8" answers)."""
from __future__ import annotations

import tkinter

import tclsmtp

SETUP = r"""
set ::s "\u4e2d\x00x"
set ::t [mime::initialize -canonical text/plain -header [list X-Test $::s] -string hi]
set ::p [mime::initialize -string "Content-Type: text/plain; name=\"$::s\"\n\nhi"]
"""

CASES = [
    ("getheader_equal", "string equal [lindex [mime::getheader $::t X-Test] 0] $::s"),
    ("getheader_value", "mime::getheader $::t X-Test"),
    ("getheader_all_equal", "string equal [dict get [mime::getheader $::t] X-Test] $::s"),
    ("params_equal", "string equal [dict get [mime::getproperty $::p params] name] $::s"),
    ("params", "mime::getproperty $::p params"),
    ("parseaddress_equal", "string equal [dict get [lindex [mime::parseaddress \"\\\"$::s\\\" <a@b>\"] 0] phrase] $::s"),
    ("field_decode_equal", "string equal [mime::field_decode $::s] $::s"),
    ("qp_decode_equal", "string equal [mime::qp_decode $::s] $::s"),
    ("qp_decode", "mime::qp_decode \"a\\u00e9\\u4e2d\\x00=41\""),
    ("nul_latin1", "mime::qp_decode \"\\u00e9\\x00x\""),
    ("error_message_equal", "catch {mime::initialize -string \"$::s\\n\\nbody\"} m; string equal $m \"improper line in header: $::s\""),
    ("error_message", "mime::initialize -string \"$::s\\n\\nbody\""),
]


def test_nul_and_wide_characters_come_back_unchanged(compare):
    assert compare(CASES, SETUP) == []


def test_issue_reproducer_under_tclsmtp():
    # The values tcllib 2.0 gives (above): 1, and the NUL stays a NUL.
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval("package require mime")
    interp.eval(SETUP)
    assert interp.eval("string equal [lindex [mime::getheader $::t X-Test] 0] $::s") == "1"
    assert interp.eval("string equal [mime::qp_decode $::s] $::s") == "1"
    assert interp.eval("scan [string index [mime::qp_decode $::s] 1] %c") == "0"
