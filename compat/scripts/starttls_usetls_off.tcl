# -usetls 0: STARTTLS is offered but not used.
# compat: tls starttls
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "in clear on purpose\n"]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost -usetls 0
mime::finalize $tok
