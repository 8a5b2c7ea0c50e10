# A wrong password: tcllib reports the failed mechanism in -debug output and
# carries on unauthenticated.
# compat: difference "does not print credentials"
# compat: auth PLAIN
# compat: user alice right
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "wrong password\n"]
set code [catch {smtp::sendmessage $tok -originator alice@example.com \
    -recipients bob@example.com -servers localhost \
    -username alice -password wrong -debug 1} result]
puts "code $code result $result"
mime::finalize $tok
