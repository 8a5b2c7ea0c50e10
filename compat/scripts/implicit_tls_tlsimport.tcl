# -tlsimport 1: TLS from the first byte (port 465 style), after tls::init.
# compat: tls implicit
# compat: timeout 20
package require tls
tls::init -tls1 1 -tls1.1 1 -tls1.2 1
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "implicit TLS\n"]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost -ports 465 -tlsimport 1 -usetls 0
mime::finalize $tok
puts sent
