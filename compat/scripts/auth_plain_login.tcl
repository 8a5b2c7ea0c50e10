# -username/-password against a server offering PLAIN and LOGIN.
# compat: auth PLAIN LOGIN
# compat: user alice s3cret
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "authenticated\n"]
smtp::sendmessage $tok -originator alice@example.com -recipients bob@example.com \
    -servers localhost -username alice -password s3cret
mime::finalize $tok
