# DIGEST-MD5 offered alone, as some Exchange-era servers did. tcllib answers
# with its SASL package. The nonces are random, so the harness compares the
# exchange's shape and outcome, not the challenge bytes.
# compat: auth DIGEST-MD5
# compat: user erin digest-pw
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "digest\n"]
smtp::sendmessage $tok -originator erin@example.com -recipients dave@example.com \
    -servers localhost -username erin -password digest-pw -debug 1
mime::finalize $tok
