# Times single sends of one small message to 127.0.0.1:PORT (new connection
# each), inside the interpreter: no process start-up. Prints the median and
# the best, in microseconds.
package require smtp
package require mime
lassign $argv port count
set t [mime::initialize -canonical text/plain -string "One small message.\n"]
mime::setheader $t Subject "single"
set times {}
for {set i 0} {$i < $count} {incr i} {
    set start [clock microseconds]
    smtp::sendmessage $t -servers 127.0.0.1 -ports $port \
        -originator bench@example.com -header {To sink@example.com}
    lappend times [expr {[clock microseconds] - $start}]
}
set times [lsort -integer $times]
puts "[lindex $times [expr {$count / 2}]] [lindex $times 0]"
