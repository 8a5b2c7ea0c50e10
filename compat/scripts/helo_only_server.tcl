# An old server that refuses EHLO: tcllib falls back to HELO (and sends no
# SIZE).
# compat: ehlo no
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "to an old server\n"]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost -debug 1
mime::finalize $tok
