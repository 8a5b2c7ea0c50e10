# Sends COUNT small messages to 127.0.0.1:PORT, one smtp::sendmessage each
# (a new connection each time, unless TCLSMTP_KEEPALIVE), a fresh token each,
# as a cron job or report script does. With SIZE, each body is about SIZE
# bytes of text. Prints "sent COUNT in MICROSECONDS us" (the loop alone).
# Usage: smtp_loop.tcl PORT COUNT ?SIZE?
package require smtp
package require mime
lassign $argv port count size
set body ""
if {$size ne ""} {
    set body [string repeat "All work and no play makes a dull report.\n" [expr {$size / 42 + 1}]]
}
set start [clock microseconds]
for {set i 0} {$i < $count} {incr i} {
    if {$size eq ""} {
        set text "Message $i of $count.\n"
    } else {
        set text "Message $i\n$body"
    }
    set t [mime::initialize -canonical text/plain -string $text]
    mime::setheader $t Subject "loop $i"
    smtp::sendmessage $t -servers 127.0.0.1 -ports $port \
        -originator bench@example.com -header {To sink@example.com}
    mime::finalize $t
}
puts "sent $count in [expr {[clock microseconds] - $start}] us"
