# tclsmtp.tcl -- the Tcl half of the bridge.
#
# Every mime:: and smtp:: proc calls Python through ::tclsmtp::call, which
# turns the primitive's {status ...} answer into a normal result or a Tcl
# error with the engine's message and -errorcode (tkinter itself would
# deliver an empty message).

namespace eval ::tclsmtp {}

# ::tclsmtp::call op ?arg ...?
#   Runs primitive $op. On failure the error (or tcllib's return code 7)
#   is raised as if by the command that called us.
proc ::tclsmtp::call {op args} {
    set answer [::tclsmtp::invoke $op {*}$args]
    switch -- [lindex $answer 0] {
        ok {return [lindex $answer 1]}
        utf8 {return [encoding convertfrom utf-8 [lindex $answer 1]]}
    }
    lassign $answer status message errorcode code
    if {$status eq "error-utf8"} {
        set message [encoding convertfrom utf-8 $message]
    }
    return -level 2 -code $code -errorcode $errorcode $message
}

# Registers our packages with the versions of tcllib's current release, so
# `package require mime` picks ours even with tcllib on auto_path.
proc ::tclsmtp::register_packages {dir} {
    source [file join $dir pkgIndex.tcl]
}

# ::tclsmtp::no_event_sources
#   1 when the event loop has nothing it could run: no timer or idle
#   callback, no Tk, no Thread package, no socket and no channel handler,
#   no child interpreter (whose own timers we cannot see). A send then
#   skips its first event-loop pass: in a threaded Tcl each pass costs a
#   round trip to the notifier thread (~80 us, a tenth of a send); under
#   `tclsmtp run` it runs on the interpreter's thread (docs/architecture.md).
proc ::tclsmtp::no_event_sources {} {
    # (a script that replaced `after` or `chan` gets the pass, as before)
    if {[catch {::tclsmtp::EventSourceCount} count]} {
        return 0
    }
    return [expr {$count == 0}]
}

# (`interp slaves` is `interp children` from Tcl 8.7 on)
set ::tclsmtp::children [expr {[package vsatisfies [info tclversion] 8.7-] ? "children" : "slaves"}]

proc ::tclsmtp::EventSourceCount {} {
    variable children
    if {[llength [::after info]] || [llength [info commands ::winfo]]
            || [package provide Thread] ne "" || [llength [::interp $children]]} {
        return 1
    }
    # (chan pending is -1 in a direction the channel is not open for, where
    # chan event would raise an error: errors cost more than this check)
    foreach chan [::chan names] {
        if {[string match sock* $chan]
                || ([::chan pending input $chan] >= 0 && [::chan event $chan readable] ne "")
                || ([::chan pending output $chan] >= 0
                    && [::chan event $chan writable] ne "")} {
            return 1
        }
    }
    return 0
}
