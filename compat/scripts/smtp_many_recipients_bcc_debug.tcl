# Forty recipients split over To, Cc and Bcc, with -debug 1 (the Bcc copy
# is a second transaction on the same connection).
package require smtp
package require mime
set to {}; set cc {}; set bcc {}
for {set i 1} {$i <= 40} {incr i} {
    set a "user$i@example.com"
    switch [expr {$i % 3}] { 0 {lappend to $a} 1 {lappend cc $a} 2 {lappend bcc $a} }
}
set tok [mime::initialize -canonical text/plain -string "All hands.\n"]
mime::setheader $tok Subject "All hands"
set res [smtp::sendmessage $tok -originator hr@example.com -servers localhost -debug 1 \
    -header [list To [join $to ", "]] -header [list Cc [join $cc ", "]] \
    -header [list Bcc [join $bcc ", "]]]
puts [list $res]
mime::finalize $tok
