# An RFC 821 server (no EHLO) with -usetls and credentials.
# compat: ehlo no
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "old server\n"]
set code [catch {smtp::sendmessage $tok -originator u@example.com \
    -recipients r@example.com -servers localhost -usetls 1 -username user \
    -password secret -debug 1} res]
puts "code=$code res=[list $res]"
mime::finalize $tok
