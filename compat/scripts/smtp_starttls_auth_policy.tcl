# STARTTLS, then AUTH only offered after it, with a -tlspolicy proc that
# logs; the CA is not configured, so tcl-tls does not verify by default.
# compat: tls starttls
# compat: auth PLAIN LOGIN
# compat: user mailer s3cret
# compat: auth-require-tls yes
# compat: difference "`-debug 1` does not print credentials."
package require tls
package require smtp
package require mime
proc policy {args} { puts "policy: [lrange $args 0 1]"; return secure }
set tok [mime::initialize -canonical text/plain -string "over TLS with auth\n"]
set code [catch {smtp::sendmessage $tok -originator mailer@example.com \
    -recipients you@example.com -servers localhost -usetls 1 -tlspolicy policy \
    -username mailer -password s3cret -debug 1} res]
puts "code=$code res=[list $res]"
mime::finalize $tok
