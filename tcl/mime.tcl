# mime.tcl -- tcllib's mime package (1.7.2), implemented by tclsmtp.
#
# Each public command is a thin proc with tcllib's argument list (so a
# wrong number of arguments gives Tcl's own message, as with tcllib) that
# calls its Python primitive through ::tclsmtp::call. The work stays in
# Python (tclsmtp/mime/); what must run in Tcl stays here: the callbacks of
# getbody -command (run with uplevel #0) and the writes of copymessage to
# the script's channel (puts, so the channel's own encoding and
# translation apply, as with tcllib).

package require Tcl 8.5
package provide mime 1.7.2

namespace eval ::mime {
    variable getbody
    array set getbody {}

    namespace export {*}{
	copymessage finalize getbody getheader getproperty initialize
	mapencoding parseaddress parsedatetime reversemapencoding setheader
	uniqueID
    }
}

# ::mime::Prim op ?arg ...?
#   A primitive whose error is raised right here (inside a catch of ours),
#   rather than as the error of the calling command.
proc ::mime::Prim {op args} {
    # ::tclsmtp::call raises its error one level up: here, as Prim's error
    ::tclsmtp::call $op {*}$args
}

proc ::mime::initialize args {
    ::tclsmtp::call mime.initialize {*}$args
}

proc ::mime::finalize {token args} {
    ::tclsmtp::call mime.finalize $token {*}$args
}

proc ::mime::getproperty {token {property {}}} {
    ::tclsmtp::call mime.getproperty $token $property
}

# tcllib's unexported helper behind `getproperty size`; scripts call it too.
proc ::mime::getsize {token} {
    ::tclsmtp::call mime.getproperty $token size
}

proc ::mime::getheader {token {key {}}} {
    ::tclsmtp::call mime.getheader $token $key
}

proc ::mime::setheader {token key value args} {
    ::tclsmtp::call mime.setheader $token $key $value {*}$args
}

proc ::mime::buildmessage token {
    ::tclsmtp::call mime.buildmessage $token
}

# ::mime::getbody token ?-decode? ?-command callback ?-blocksize octets??
#   As tcllib: the callback gets {data fragment}... then {end} (or
#   {error reason}); the result of its last call is the result.
proc ::mime::getbody {token args} {
    set decode 0
    if {[set pos [lsearch -exact $args -decode]] >= 0} {
        set decode 1
        set args [lreplace $args $pos $pos]
    }

    array set options [list -command [list mime::getbodyaux $token] -blocksize 4096]
    array set options $args
    if {$options(-blocksize) < 1} {
        error "-blocksize expects a positive integer, not $options(-blocksize)"
    }

    set handle [::tclsmtp::call mime.getbody.open $token $options(-blocksize)]
    # tcllib's loop shape, because the callback's break/continue/return act
    # on it: a break ends the cutting loop before the fragment is trimmed,
    # so the rest of the body (from the chunk that broke) still arrives in
    # the last data call, which runs outside any loop (a break there ends
    # the catch: the callback then gets "error"). A canonical -file body is
    # read and delivered blocksize at a time without a fragment.
    set code [catch {
        set cc [expr {$options(-blocksize) - 1}]
        set fragment {}
        set at 0
        set delivering 0
        while {[llength [set step [::mime::Prim mime.getbody.next $handle]]] == 2} {
            if {[lindex $step 0] eq "chunk"} {
                uplevel #0 $options(-command) [list data [lindex $step 1]]
                continue
            }
            append fragment [lindex $step 1]
            while {[string length $fragment] - $at > $options(-blocksize)} {
                if {$delivering} {
                    # A continue skipped the trim: tcllib would deliver the
                    # same chunk forever (docs/compat.md).
                    return -code error -errorcode {TCL RESULT UNEXPECTED} \
                        "invoked \"continue\" outside of a loop"
                }
                set delivering 1
                uplevel #0 $options(-command) [
                    list data [string range $fragment $at [expr {$at + $cc}]]]
                set delivering 0
                incr at $options(-blocksize)
            }
            set delivering 0
            set fragment [string range $fragment $at end]
            set at 0
        }
        if {[string length $fragment] > 0} {
            uplevel #0 $options(-command) [list data $fragment]
        }
    } result]
    ::tclsmtp::invoke mime.stream.close $handle

    set code [catch {
        if {$code} {
            uplevel #0 $options(-command) [list error $result]
        } else {
            uplevel #0 $options(-command) [list end]
        }
    } result opts]
    if {$code == 1} {
        # Keep the callback's frames in errorInfo, as tcllib does.
        return -code error -errorinfo [dict get $opts -errorinfo] \
            -errorcode [dict get $opts -errorcode] $result
    } elseif {$code} {
        # break/continue/return from the callback reach getbody's caller.
        return -code $code $result
    }

    if {$decode} {
        array set params [mime::getproperty $token params]
        if {[info exists params(charset)]} {
            set charset $params(charset)
        } else {
            set charset US-ASCII
        }
        set enc [reversemapencoding $charset]
        if {$enc ne {}} {
            set result [::encoding convertfrom $enc $result]
        } else {
            return -code error "-decode failed: can't reversemap charset $charset"
        }
    }
    return $result
}

# The default getbody callback: collects the fragments.
proc ::mime::getbodyaux {token reason {fragment {}}} {
    variable getbody
    switch $reason {
        data {
            append getbody($token) $fragment
            return {}
        }
        end {
            if {[info exists getbody($token)]} {
                set result $getbody($token)
                unset getbody($token)
            } else {
                set result {}
            }
            return $result
        }
        error {
            catch {unset getbody($token)}
            error $reason
        }
        default {
            error "Unknown reason \"$reason\""
        }
    }
}

# ::mime::copymessage token channel
#   Writes the message to any channel with puts, piece by piece, so the
#   channel's -encoding and -translation apply as they did with tcllib.
proc ::mime::copymessage {token channel} {
    set handle [::tclsmtp::call mime.copymessage.open $token]
    set code [catch {
        while 1 {
            set step [::mime::Prim mime.copymessage.next $handle]
            switch -- [lindex $step 0] {
                data {
                    puts -nonewline $channel [lindex $step 1]
                }
                buffersize {
                    # tcllib shrinks the buffer before a string body [893516].
                    if {[catch {fconfigure $channel -buffersize} blocksize]} {
                        set blocksize 4096
                    } elseif {$blocksize < 512} {
                        set blocksize 512
                    }
                    fconfigure $channel -buffersize [expr {($blocksize / 4) * 3}]
                }
                default {
                    break
                }
            }
        }
        flush $channel
    } result opts]
    ::tclsmtp::invoke mime.stream.close $handle
    if {$code} {
        dict unset opts -errorinfo
        return -options $opts $result
    }
    return
}

# The commands without a token.

proc ::mime::parseaddress {string} {
    ::tclsmtp::call mime.parseaddress $string
}

proc ::mime::parsedatetime {value property} {
    ::tclsmtp::call mime.parsedatetime $value $property
}

proc ::mime::uniqueID {} {
    ::tclsmtp::call mime.uniqueID
}

proc ::mime::mapencoding {enc} {
    ::tclsmtp::call mime.mapencoding $enc
}

proc ::mime::reversemapencoding {mimeType} {
    ::tclsmtp::call mime.reversemapencoding $mimeType
}

proc ::mime::qp_encode {string {encoded_word 0} {no_softbreak 0}} {
    ::tclsmtp::call mime.qp_encode $string $encoded_word $no_softbreak
}

proc ::mime::qp_decode {string {encoded_word 0}} {
    ::tclsmtp::call mime.qp_decode $string $encoded_word
}

proc ::mime::word_encode {charset method string {args}} {
    ::tclsmtp::call mime.word_encode $charset $method $string {*}$args
}

proc ::mime::word_decode {encoded} {
    ::tclsmtp::call mime.word_decode $encoded
}

proc ::mime::field_decode {field} {
    ::tclsmtp::call mime.field_decode $field
}

# tcllib's mime, while loading, tries optional packages inside catch
# (`catch {package require Trf 2.0}`, md5's `catch {package require Trf}`),
# so after `package require mime` ::errorCode and ::errorInfo exist, and
# scripts that log them after every call read them without checking. Leave
# them as tcllib does on the reference installation (no Trf); this package
# needs no optional package, so nothing is actually looked up.
set ::errorCode {TCL PACKAGE UNFOUND}
set ::errorInfo "can't find package Trf\n    while executing\n\"package require Trf\""
