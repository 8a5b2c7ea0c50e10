# Date headers scripts set themselves: clock format's default form (seen in
# published code) and a fixed RFC 822 date.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "dated\n"]
smtp::sendmessage $tok -servers localhost \
    -header [list From "shipping@example.com"] -header [list To "orders@example.com"] \
    -header [list Subject "Package Info: 4711"] \
    -header [list Date "[clock format [clock seconds]]"]
mime::finalize $tok
set tok [mime::initialize -canonical text/plain -string "fixed date\n"]
smtp::sendmessage $tok -servers localhost -originator shipping@example.com \
    -recipients orders@example.com \
    -header [list Date "Thu, 01 Jan 2015 00:00:00 +0000"]
mime::finalize $tok
