# Group syntax and routes in To/Cc headers and in -recipients: which
# addresses end up in the envelope.
package require smtp
package require mime
proc send {label args} {
    set tok [mime::initialize -canonical text/plain -string "$label\n"]
    set code [catch {smtp::sendmessage $tok -servers localhost -originator g@example.com {*}$args} r]
    puts "$label: $code [list $r]"
    mime::finalize $tok
}
send group-to -header {To "Team: a@example.com, b@example.com;"}
send empty-group -header {To "undisclosed-recipients:;"} -header {Bcc "c@example.com"}
send route -recipients "<@relay.example:d@example.com>"
send comment -recipients "e@example.com (Eve), f@example.com"
send quoted -recipients "\"odd name\"@example.com"
send literal -recipients "g@\[192.0.2.7\]"
