# tcllib waits with vwait, so whatever is ready when a send starts runs
# during it: an idle callback, a readable channel's handler, a server
# socket's accept. One send for each, alone. (tclsmtp skips its event-loop
# pass only when the interpreter has no event source at all.)
package require smtp
package require mime
proc send {what} {
    set tok [mime::initialize -canonical text/plain -string "$what pending\n"]
    smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
        -servers localhost
    mime::finalize $tok
    puts "$what: ran during the send: $::ran"
    set ::ran {}
}
set ran {}

after idle {lappend ::ran idle}
send "after idle"

set f [open [info script]]
fileevent $f readable {fileevent $::f readable {}; lappend ::ran file}
send "fileevent"
close $f

set server [socket -server {apply {{chan host port} {close $chan; lappend ::ran accept}}} \
    -myaddr 127.0.0.1 0]
set client [socket 127.0.0.1 [lindex [fconfigure $server -sockname] 2]]
send "socket -server"
close $client
close $server
