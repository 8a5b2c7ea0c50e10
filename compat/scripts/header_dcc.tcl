# Dcc: recipients that get the message but appear in no header.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Build 1234 failed.\n"]
smtp::sendmessage $tok \
    -header {From ci@example.com} \
    -header {To dev@example.com} \
    -header {Dcc "archive@example.com"} \
    -header {Subject "CI: build 1234 failed"} \
    -servers localhost
mime::finalize $tok
