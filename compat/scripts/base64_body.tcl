# A text body sent base64 (some relays insist), including 8-bit bytes.
package require smtp
package require mime
set body [encoding convertto utf-8 "Ünïcödé body\nline two\n"]
set tok [mime::initialize -canonical text/plain -param {charset utf-8} \
    -encoding base64 -string $body]
mime::setheader $tok Subject "base64 body"
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
mime::finalize $tok
