# The server greets with 421 and hangs up: tcllib gives up on it and, with
# no other server left, fails with an error the script catches.
# compat: greeting 421 4.3.2 busy, try again later
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "busy server\n"]
set code [catch {smtp::sendmessage $tok -originator me@example.com \
    -recipients you@example.com -servers localhost -debug 1} msg]
puts "code $code: $msg"
mime::finalize $tok
