# tls::init sets the defaults tls::import uses: here the CA that signed the
# server's certificate, with verification required.
# compat: tls starttls
# compat: args {cafile}
package require tls
tls::init -cafile [lindex $argv 0] -require 1
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "verified TLS\n"]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost -debug 1
mime::finalize $tok
