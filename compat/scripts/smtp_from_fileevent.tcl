# A mail sent from inside a fileevent handler (a pipe becomes readable), the
# way event-driven monitors do it.
package require smtp
package require mime
set pipe [open "|echo alarm" r]
proc on_readable {chan} {
    if {[gets $chan line] < 0} {
        if {[eof $chan]} { close $chan; set ::done eof }
        return
    }
    set tok [mime::initialize -canonical text/plain -string "monitor said: $line\n"]
    mime::setheader $tok Subject "monitor: $line"
    smtp::sendmessage $tok -originator mon@example.com -recipients ops@example.com \
        -servers localhost
    mime::finalize $tok
    puts "mailed: $line"
}
fileevent $pipe readable [list on_readable $pipe]
after 20000 {set ::done timeout}
vwait ::done
puts "done: $::done"
