# A mail server name that does not resolve (.invalid never does), without
# the redirect: the error a script catches.
# compat: redirect no
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "x\n"]
set code [catch {smtp::sendmessage $tok -originator me@example.com \
    -recipients you@example.com -servers no-such-host.invalid} msg]
puts "code $code: $msg"
puts "errorCode: $::errorCode"
mime::finalize $tok
