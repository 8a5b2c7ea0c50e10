# AUTH is only offered after STARTTLS, but the script turns TLS off: the
# credentials are not used and the server decides.
# compat: tls starttls
# compat: auth PLAIN LOGIN
# compat: user mailer s3cret
# compat: auth-require-tls yes
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "no tls, no auth\n"]
set code [catch {smtp::sendmessage $tok -originator mailer@example.com \
    -recipients you@example.com -servers localhost -usetls 0 \
    -username mailer -password s3cret -debug 1} res]
puts "code=$code res=[list $res]"
mime::finalize $tok
