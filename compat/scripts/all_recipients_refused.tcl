# Every recipient refused, with -atleastone 1.
# compat: refuse x@example.com 550 5.1.1 unknown
# compat: refuse y@example.com 551 5.1.6 moved away
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "hello\n"]
set code [catch {smtp::sendmessage $tok -atleastone 1 -originator me@example.com \
    -recipients "x@example.com, y@example.com" -servers localhost} result opts]
puts "code $code"
puts "result $result"
mime::finalize $tok
