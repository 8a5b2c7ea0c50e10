# Parse a message with mime::initialize (no -canonical) and read it back:
# every part's content and size, every leaf's decoded body (length and first
# bytes). Usage: mime_parse.tcl file|string PATH ?REPEAT?
# With REPEAT, the message is parsed and read REPEAT times (small messages).
package require mime
lassign $argv mode path repeat
if {$repeat eq ""} { set repeat 1 }
if {$mode eq "string"} {
    set f [open $path rb]
    set data [read $f]
    close $f
}
proc walk {token indent} {
    set line "$indent[mime::getproperty $token content] [mime::getproperty $token size]"
    if {[catch {mime::getproperty $token parts} parts]} {
        set body [mime::getbody $token]
        binary scan [string range $body 0 7] H* head
        puts "$line body [string length $body] $head"
    } else {
        puts $line
        foreach part $parts { walk $part "$indent  " }
    }
}
for {set i 0} {$i < $repeat} {incr i} {
    if {$mode eq "file"} {
        set token [mime::initialize -file $path]
    } else {
        set token [mime::initialize -string $data]
    }
    if {$i == $repeat - 1} {
        walk $token ""
    } else {
        foreach part [mime::getproperty $token parts] { mime::getproperty $part size }
    }
    mime::finalize $token
}
