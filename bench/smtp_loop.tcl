# Sends COUNT small messages to 127.0.0.1:PORT, one smtp::sendmessage each
# (a new connection each time), as a cron job or report script does.
package require smtp
package require mime
lassign $argv port count
for {set i 0} {$i < $count} {incr i} {
    set t [mime::initialize -canonical text/plain -string "Message $i of $count.\n"]
    mime::setheader $t Subject "loop $i"
    smtp::sendmessage $t -servers 127.0.0.1 -ports $port \
        -originator bench@example.com -header {To sink@example.com}
    mime::finalize $t
}
puts "sent $count"
