# smtp.tcl -- tcllib's smtp package (1.5.2) on tclsmtp's Python engine.
#
# The conversation runs in Python (tclsmtp/smtp/); this proc only starts it
# and then loops on its events while the event loop keeps running (as
# tcllib's vwait did): -debug lines are printed here, -tlspolicy callbacks
# run here at global level, and the result or the error comes back here.

package require Tcl 8.5
package require mime

namespace eval ::smtp {
    namespace export sendmessage
}

proc ::smtp::sendmessage {part args} {
    # tls::init's settings (tcl-tls and our stand-in keep them here)
    set tlsoptions {}
    if {[info exists ::tls::defaults]} {
        set tlsoptions $::tls::defaults
    }
    set event [lassign [::tclsmtp::call smtp.send $part $::tcl_platform(user) \
                            [info hostname] $tlsoptions {*}$args] job]
    while {1} {
        switch -- [lindex $event 0] {
            debug {
                foreach line [lindex $event 1] {
                    puts stderr $line
                }
                flush stderr
            }
            policy {
                # tcllib: catch {eval $policy $code $text} policy
                lassign $event - command code text
                set policy insecure
                catch {uplevel #0 $command [list $code] [list $text]} policy
                ::tclsmtp::call smtp.answer $job $policy
            }
            done {
                return [lindex $event 1]
            }
            return {
                # a server's refusal: tcllib's return code 7 and reply dict
                return -code [lindex $event 1] [lindex $event 2]
            }
        }
        set event [::tclsmtp::call smtp.next $job]
    }
}

package provide smtp 1.5.2
