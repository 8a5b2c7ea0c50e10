# An uncaught refusal: tclsh reports "command returned bad code: 7" and
# exits with status 1.
# compat: refuse-sender blocked@example.com 550 5.7.1 not allowed
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "x\n"]
smtp::sendmessage $tok -originator blocked@example.com -recipients a@example.com \
    -servers localhost
puts "not reached"
