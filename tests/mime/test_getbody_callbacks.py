"""mime::getbody -command: how a callback's break/continue/return/error end
tcllib's chunking loop, compared with tclsh + tcllib (tcl/mime.tcl)."""
from __future__ import annotations

import tkinter

import pytest

import tclsmtp
from reference import run_tclsh

# Four bodies, one per branch of tcllib's getbody: a -string part, a parsed
# quoted-printable -string part, a parsed base64 -file part (read and decoded
# a blocksize at a time) and a canonical -file part (read a blocksize at a time).
SETUP = r"""
package require mime
set body [string repeat "0123456789" 5]
set fd [file tempfile path]
fconfigure $fd -translation binary
puts -nonewline $fd $body
close $fd
set fd [file tempfile mpath]
fconfigure $fd -translation binary
puts -nonewline $fd "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\n"
puts -nonewline $fd "[string range [binary encode base64 $body] 0 19]\n[string range [binary encode base64 $body] 20 end]\n"
close $fd
set parts [list \
    [mime::initialize -canonical text/plain -string $body] \
    [mime::initialize -string "Content-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n$body"] \
    [mime::initialize -file $mpath] \
    [mime::initialize -canonical text/plain -file $path]]
# cb: answers the call numbered $::at (or any call of phase $::at) with $::how
proc cb {phase args} {
    lappend ::log "$phase [string length [lindex $args 0]]"
    if {[llength $::log] == $::at || $phase eq $::at} {
        switch -- $::how {
            break {return -code break}
            continue {return -code continue}
            return {return -code return r}
            five {return -code 5 five}
            error {error "failed at $phase"}
        }
    }
    if {$phase eq "end"} { return "done [llength $::log]" }
}
proc try {part at how bs} {
    set ::log {}; set ::at $at; set ::how $how
    set code [catch {mime::getbody [lindex $::parts $part] -command cb -blocksize $bs} res opts]
    set ec [expr {$code == 1 ? [dict get $opts -errorcode] : ""}]
    return [list $code $res $ec $::log]
}
set out {}
foreach part {0 1 2 3} {
    foreach {at how} {1 break 2 break 3 break 4 break end break end continue end return end error
                      2 return 3 five 2 error error error error break 99 none} {
        foreach bs {12 16} {
            lappend out [list $part $at $how $bs [try $part $at $how $bs]]
        }
    }
}
# continue from a data call is harmless where no fragment is cut (canonical -file)
lappend out [list 3 1 continue 12 [try 3 1 continue 12]]
lappend out [list 3 2 continue 12 [try 3 2 continue 12]]
"""


def _ours(script: str) -> str:
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval(script)
    return interp.eval("join $out \\n")


def test_callback_codes_end_the_loop_as_tcllib(tcllib):
    ref = run_tclsh(SETUP + "puts [join $out \\n]\n")
    assert ref.returncode == 0, ref.stderr
    expected = ref.stdout.rstrip("\n").split("\n")
    ours = _ours(SETUP).split("\n")
    assert len(expected) == len(ours) == 4 * 14 * 2 + 2
    assert [(e, o) for e, o in zip(expected, ours) if e != o] == []


def test_callback_error_keeps_its_frames_in_errorinfo(tcllib):
    """tcllib re-raises the callback's error with the callback's own frames."""
    script = SETUP + r"""
proc fail {phase args} { error "failed in $phase" }
catch {mime::getbody [lindex $parts 0] -command fail} m opts
set info [dict get $opts -errorinfo]
set info [string range $info 0 [string first "\n    invoked from within\n\"mime::getbody" $info]]
set out [list $m $info]
"""
    ref = run_tclsh(script + "puts $out\n")
    assert ref.returncode == 0, ref.stderr
    assert "(procedure \"fail\" line 1)" in ref.stdout
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval(script)
    assert interp.eval("set out") == ref.stdout.rstrip("\n")


def test_continue_from_a_cut_chunk_is_an_error_not_a_hang(tcllib):
    """tcllib loops forever (the continue skips the trim); we stop with an
    error that reaches the callback's error call (docs/compat.md, ## mime)."""
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval(SETUP + "set out [list [try 0 1 continue 12] [try 2 2 continue 12]]")
    for i in range(2):
        # the callback's error call returns normally, so getbody returns {}
        assert interp.eval(f"lrange [lindex $out {i}] 0 2") == "0 {} {}"
        msg = 'invoked "continue" outside of a loop'
        assert interp.eval(f"lindex $out {i} end end") == f"error {len(msg)}"
