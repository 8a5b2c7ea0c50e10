# A server without the SIZE extension: no SIZE= on MAIL FROM.
# compat: size none
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "no size\n"]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
mime::finalize $tok
