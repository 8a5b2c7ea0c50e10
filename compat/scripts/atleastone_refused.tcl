# -atleastone 1: one recipient refused, the others still get the message;
# sendmessage returns the refusals.
# compat: refuse gone@example.com 550 5.1.1 no such user
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Newsletter #12\n"]
mime::setheader $tok Subject "Newsletter"
set result [smtp::sendmessage $tok -atleastone 1 -originator news@example.com \
    -recipients "a@example.com, gone@example.com, b@example.com" -servers localhost]
puts "result: $result"
mime::finalize $tok
