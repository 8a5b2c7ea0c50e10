# helper.tcl -- the helper-process transport, for Tcl interpreters that
# Python did not start (plain tclsh, wish, embedded Tcl).
#
# `tclsmtp tcl-path` writes a pkgIndex.tcl that sources this file and calls
# ::tclsmtp::helper::register. `package require mime` then starts one helper,
# `PYTHON -m tclsmtp serve`, for this interpreter, and ::tclsmtp::invoke
# carries each primitive call over its pipes (tclsmtp/helper/ is the other
# end). The helper's stdin is our pipe: it exits when this interpreter closes
# the pipe, exits or dies.
#
# Frames, both ways: one header line "KIND ID LEN..." then the fields, each
# LEN bytes of UTF-8 (`encoding convertto utf-8`, so byte arrays and NULs
# cross unchanged). Requests: "call ID" with fields OP ARG..., and "cd 0"
# with a directory (no answer) when the script changed its own. Answers:
# "ok ID" (one field: the result), "list ID" (fields: the result's
# elements), "error ID" (message, errorcode, return code), or "wait ID": the
# call waits (a send), so we serve the event loop (fileevent + vwait, as
# tcllib's own waits do) until its answer comes. Calls made from event
# handlers meanwhile are answered by the helper in between.

namespace eval ::tclsmtp::helper {
    variable python ""      ;# the Python that `tclsmtp tcl-path` ran under
    variable pythonFlags {} ;# and its options (-P: not the cwd's modules)
    variable chan ""        ;# the pipe to the helper, once started
    variable seq 0          ;# call ids
    variable dead ""        ;# why the helper is gone (an error message)
    variable cwd ""         ;# the helper's working directory, as last told
    variable waiting 0      ;# calls in an event-loop wait
    variable arrived 0      ;# written on every frame read (vwait target)
    variable replies        ;# answers by call id
    variable waits          ;# ids the helper said are waiting
    array set replies {}
    array set waits {}
}

# ::tclsmtp::helper::register tcldir python
#   Registers the mime, smtp (and tls stand-in) packages of tcldir so that
#   loading mime starts the helper first.
proc ::tclsmtp::helper::register {tcldir executable {flags {}}} {
    variable python $executable
    variable pythonFlags $flags
    source [file join $tcldir tclsmtp.tcl]
    ::tclsmtp::register_packages $tcldir
    set script [package ifneeded mime 1.7.2]
    package ifneeded mime 1.7.2 "::tclsmtp::helper::start\n$script"
}

# ::tclsmtp::invoke op ?arg ...?
#   One primitive call; the answer as the bridge gives it: {ok RESULT} or
#   {error MESSAGE ERRORCODE CODE}.
proc ::tclsmtp::invoke {op args} {
    variable ::tclsmtp::helper::dead
    variable ::tclsmtp::helper::replies
    variable ::tclsmtp::helper::waits
    if {$dead eq ""} {
        if {[catch {::tclsmtp::helper::start} message]} {
            return [list error $message {TCLSMTP HELPER START} 1]
        }
    }
    if {$dead ne ""} {
        return [list error $dead {TCLSMTP HELPER GONE} 1]
    }
    # Relative file names (mime::initialize -file) are the script's: the
    # helper follows the interpreter's `cd`.
    if {![catch {pwd} here] && $here ne $::tclsmtp::helper::cwd} {
        set ::tclsmtp::helper::cwd $here
        ::tclsmtp::helper::Send cd 0 $here
    }
    set id [incr ::tclsmtp::helper::seq]
    ::tclsmtp::helper::Send call $id $op {*}$args
    while {![info exists replies($id)] && $dead eq ""} {
        if {[info exists waits($id)]} {
            ::tclsmtp::helper::Wait $id
        } else {
            ::tclsmtp::helper::Receive
        }
    }
    unset -nocomplain waits($id)
    if {![info exists replies($id)]} {
        return [list error $dead {TCLSMTP HELPER GONE} 1]
    }
    set answer $replies($id)
    unset replies($id)
    return $answer
}

# Starts the helper (once) and checks that it answers.
proc ::tclsmtp::helper::start {} {
    variable chan
    variable python
    variable pythonFlags
    variable dead
    if {$chan ne "" || $dead ne ""} {
        if {$dead ne ""} {return -code error -errorcode {TCLSMTP HELPER GONE} $dead}
        return
    }
    set command [list $python {*}$pythonFlags -m tclsmtp serve]
    # The helper's own messages (a Python that lacks tclsmtp, a crash) go
    # where ours go.
    if {"stderr" in [chan names]} {
        set errors "this process's stderr"
        lappend command 2>@stderr
    } else {
        set errors "/dev/null (this interpreter has no stderr channel)"
        lappend command 2>/dev/null
    }
    variable errorsTo $errors
    if {![file executable $python]} {
        set dead "tclsmtp: cannot start its helper: $python is not an executable\
            file; run `tclsmtp tcl-path` again from the Python environment\
            where tclsmtp is installed (pip install tclsmtp), and put the\
            directory it prints on TCLLIBPATH"
        return -code error -errorcode {TCLSMTP HELPER START} $dead
    }
    if {[catch {open |$command r+} pipe]} {
        set dead "tclsmtp: cannot start its helper ([join $command { }]): $pipe"
        return -code error -errorcode {TCLSMTP HELPER START} $dead
    }
    fconfigure $pipe -translation binary -buffering full -blocking 1
    set chan $pipe
    variable cwd [pwd]      ;# where the helper starts
    # The first call doubles as the handshake: a Python without tclsmtp
    # exits at once ("No module named tclsmtp" on stderr).
    set answer [::tclsmtp::invoke core.version]
    if {[lindex $answer 0] ne "ok"} {
        set dead "tclsmtp: its helper ($python -m tclsmtp serve) did not\
            start: [lindex $answer 1]. Is tclsmtp installed for that Python\
            ($python -m pip install tclsmtp)? Its error output went to $errors"
        return -code error -errorcode {TCLSMTP HELPER START} $dead
    }
    return
}

proc ::tclsmtp::helper::Send {kind id args} {
    variable chan
    set header [list $kind $id]
    set data {}
    foreach field $args {
        set bytes [encoding convertto utf-8 $field]
        lappend header [string length $bytes]
        append data $bytes
    }
    if {[catch {
        puts -nonewline $chan "$header\n$data"
        flush $chan
    } message]} {
        Lost "could not write to it: $message"
    }
}

# Reads one frame (blocking) and files it.
proc ::tclsmtp::helper::Receive {} {
    variable chan
    if {[catch {gets $chan header} n] || $n < 0} {
        Lost "it closed its pipe"
        return
    }
    File $header
}

# The rest of a frame whose header line has been read: its fields.
proc ::tclsmtp::helper::File {header} {
    variable chan
    variable replies
    variable waits
    variable arrived
    set fields {}
    foreach length [lrange $header 2 end] {
        lappend fields [encoding convertfrom utf-8 [read $chan $length]]
    }
    lassign $header kind id
    switch -- $kind {
        ok    { set replies($id) [list ok [lindex $fields 0]] }
        list  { set replies($id) [list ok $fields] }
        error { set replies($id) [list error {*}$fields] }
        wait  { set waits($id) 1 }
        default { Lost "it sent an unknown frame \"$header\"" }
    }
    incr arrived
}

# Serves the event loop until call $id is answered.
proc ::tclsmtp::helper::Wait {id} {
    variable chan
    variable waiting
    variable replies
    variable dead
    if {[incr waiting] == 1} {
        fileevent $chan readable ::tclsmtp::helper::Readable
    }
    # What is ready now runs first, as under tcllib's vwait (and the bridge's
    # wait): the answer may already sit in our buffer, and its readable event
    # alone would end the vwait below before a ready file handler ran.
    update
    while {![info exists replies($id)] && $dead eq ""} {
        vwait ::tclsmtp::helper::arrived
    }
    if {[incr waiting -1] == 0 && $dead eq ""} {
        fileevent $chan readable {}
    }
}

proc ::tclsmtp::helper::Readable {} {
    variable chan
    # Not blocking: a call made from another event handler may already have
    # read what woke us.
    fconfigure $chan -blocking 0
    set failed [catch {gets $chan header} n]
    fconfigure $chan -blocking 1
    if {$failed || ($n < 0 && [eof $chan])} {
        Lost "it closed its pipe"
        return
    }
    if {$n < 0} {
        if {[chan pending input $chan] == 0} return
        # Part of a header line: the rest is on its way.
        if {[catch {gets $chan header} n] || $n < 0} {
            Lost "it closed its pipe"
            return
        }
    }
    File $header
}

# The helper is gone: say why, with its exit status when there is one.
proc ::tclsmtp::helper::Lost {what} {
    variable chan
    variable dead
    variable python
    variable errorsTo
    variable arrived
    if {$dead ne ""} return
    set status ""
    catch {fconfigure $chan -blocking 1}
    if {[catch {close $chan} message]} {
        set status " ($message)"
    }
    set chan ""
    set dead "tclsmtp: its helper process ($python -m tclsmtp serve) has\
        exited$status: $what; its tokens are gone. Its error output went to\
        $errorsTo"
    incr arrived
}
