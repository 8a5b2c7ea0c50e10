# -debug 1 prints the whole conversation on stderr.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "debugging\n"]
mime::setheader $tok Subject "debug"
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost -debug 1
mime::finalize $tok
