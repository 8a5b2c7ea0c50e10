# The server offers STARTTLS; tcllib upgrades by default (-usetls 1) and
# says EHLO again inside TLS.
# compat: tls starttls
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "sent over TLS\n"]
mime::setheader $tok Subject "tls"
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
mime::finalize $tok
puts ok
