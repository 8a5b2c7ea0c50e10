# tls.tcl -- a stand-in for tcl-tls where it is not installed.
#
# tclsmtp's smtp engine does TLS with Python's ssl module; scripts still say
# `package require tls` and `tls::init -cafile ... -require 1`. This package
# accepts tls::init with tcl-tls's options and errors, and keeps them where
# tcl-tls does (::tls::defaults), where smtp::sendmessage reads them.
# Only registered when no real tls package can be found (see pkgIndex.tcl).

namespace eval ::tls {
    variable defaults {}
    variable initOptions {-myaddr -type -cadir -cafile -cert -certfile -cipher
        -command -dhparams -key -keyfile -password -request -require
        -autoservername -servername -ssl2 -ssl3 -tls1 -tls1.1 -tls1.2 -tls1.3}
}

proc ::tls::init {args} {
    variable defaults
    variable initOptions
    for {set i 0} {$i < [llength $args]} {incr i} {
        set arg [lindex $args $i]
        if {[string match -* $arg]} {
            if {$arg ni $initOptions} {
                return -code error "bad option \"$arg\": must be one of [join $initOptions {, }]"
            }
            incr i
            if {$i >= [llength $args]} {
                return -code error "\"$arg\" option must be followed by value"
            }
        } else {
            break
        }
    }
    set defaults $args
    return
}

# The rest of tcl-tls is not here: say so instead of "invalid command name".
foreach ::tls::cmd {socket import handshake status unimport ciphers version} {
    proc ::tls::$::tls::cmd {args} [list return -code error \
        "tls::$::tls::cmd is not available: tclsmtp's tls stand-in only provides\
         tls::init (install tcl-tls for the rest)"]
}
unset ::tls::cmd

package provide tls 1.7.22
