# A heartbeat timer that sends its own mail fires while a slow send is in
# progress (tcllib's vwait lets the timer run a second, nested send).
# compat: data-delay 1
package require smtp
package require mime
proc heartbeat {} {
    set t [mime::initialize -canonical text/plain -string "heartbeat\n"]
    mime::setheader $t Subject heartbeat
    set code [catch {smtp::sendmessage $t -originator hb@example.com -recipients ops@example.com -servers localhost} r]
    puts "heartbeat sent: $code [list $r]"
    mime::finalize $t
}
after 300 heartbeat
set tok [mime::initialize -canonical text/plain -string "the slow report\n"]
mime::setheader $tok Subject report
set code [catch {smtp::sendmessage $tok -originator rep@example.com -recipients boss@example.com -servers localhost} r]
puts "report sent: $code [list $r]"
mime::finalize $tok
