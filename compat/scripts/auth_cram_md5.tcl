# CRAM-MD5 offered next to PLAIN and LOGIN: tcllib picks the strongest it
# knows. The server's challenge is random, so the harness compares the
# exchange's shape and outcome, not the challenge bytes.
# compat: auth CRAM-MD5 PLAIN LOGIN
# compat: user carol "cram pass"
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "challenge-response\n"]
smtp::sendmessage $tok -originator carol@example.com -recipients dave@example.com \
    -servers localhost -username carol -password "cram pass" -debug 1
mime::finalize $tok
