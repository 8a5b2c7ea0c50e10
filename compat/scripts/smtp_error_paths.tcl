# Errors sendmessage gives before it talks to a server, caught and printed
# with errorCode, as wrapper procs do.
package require smtp
package require mime
proc try_send {label args} {
    set tok [mime::initialize -canonical text/plain -string "x\n"]
    set code [catch {smtp::sendmessage $tok {*}$args} msg]
    puts "$label -> $code: $msg"
    if {$code} { puts "    errorCode: $::errorCode" }
    mime::finalize $tok
}
try_send "no recipients" -servers localhost -originator a@example.com
try_send "bad originator" -servers localhost -originator "a@@b" -recipients c@example.com
try_send "two originators" -servers localhost -originator "a@example.com, b@example.com" -recipients c@example.com
try_send "bad recipient" -servers localhost -originator a@example.com -recipients "<broken"
try_send "unknown option" -servers localhost -recipients c@example.com -colour blue
try_send "missing value" -servers localhost -recipients
try_send "header not a pair" -servers localhost -recipients c@example.com -header {Subject}
try_send "header three words" -servers localhost -recipients c@example.com -header {Subject a b}
try_send "from two mailboxes" -servers localhost -recipients c@example.com -header {From "a@example.com, b@example.com"}
try_send "sender two mailboxes" -servers localhost -recipients c@example.com -header {From "a@example.com, b@example.com"} -header {Sender "x@example.com, y@example.com"}
try_send "bad usetls" -servers localhost -recipients c@example.com -usetls perhaps
puts [catch {smtp::sendmessage ::mime::nosuch -recipients c@example.com -servers localhost} m]:$m
puts [catch {smtp::sendmessage} m]:$m
