# Pure mime: parse a message and walk its parts, printing what tcllib says.
package require mime
set path [file join [file dirname [info script]] data incoming.eml]
set tok [mime::initialize -file $path]
proc walk {tok indent} {
    set props [mime::getproperty $tok]
    puts "${indent}content: [dict get $props content]"
    puts "${indent}params: [dict get $props params]"
    if {[dict exists $props encoding]} { puts "${indent}encoding: [dict get $props encoding]" }
    if {[dict exists $props parts]} {
        foreach p [dict get $props parts] { walk $p "$indent  " }
    } else {
        puts "${indent}size: [mime::getproperty $tok size]"
        puts "${indent}body: [mime::getbody $tok]"
    }
}
walk $tok ""
puts "names: [mime::getheader $tok -names]"
puts "to: [mime::getheader $tok To]"
puts "received: [mime::getheader $tok Received]"
mime::finalize $tok -subordinates all
