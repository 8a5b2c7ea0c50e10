# -usetls 1 against a server that offers no STARTTLS: tcllib goes on in the
# clear; a -tlspolicy proc is not consulted.
package require smtp
package require mime
proc policy {args} { puts "policy called: $args"; return insecure }
set tok [mime::initialize -canonical text/plain -string "no tls here\n"]
set res [smtp::sendmessage $tok -originator a@example.com -recipients b@example.com \
    -servers localhost -usetls 1 -tlspolicy policy -debug 1]
puts [list $res]
mime::finalize $tok
