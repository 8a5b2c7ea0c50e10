# tclsmtp's packages. They need the Python side (::tclsmtp::invoke); without
# it, stay out of the way so tcllib's packages load as usual.
if {[info commands ::tclsmtp::invoke] eq ""} {return}
package ifneeded mime 1.7.2 [list source [file join $dir mime.tcl]]
package ifneeded smtp 1.5.2 [list source [file join $dir smtp.tcl]]
# A `tls` stand-in (tls::init only) for scripts that configure smtp's TLS,
# used only when `package require tls` finds no real tcl-tls.
if {![llength [package versions tls]] && [package unknown] ne "::tclsmtp::packageUnknown"} {
    namespace eval ::tclsmtp [list variable tlsStandIn [file join $dir tls.tcl]]
    namespace eval ::tclsmtp [list variable priorUnknown [package unknown]]
    proc ::tclsmtp::packageUnknown {name args} {
        variable priorUnknown
        variable tlsStandIn
        if {$priorUnknown ne ""} {
            uplevel 1 $priorUnknown [list $name] $args
        }
        if {$name eq "tls" && ![llength [package versions tls]]} {
            package ifneeded tls 1.7.22 [list source $tlsStandIn]
        }
    }
    package unknown ::tclsmtp::packageUnknown
}
