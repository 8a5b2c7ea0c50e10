# Credentials given, but the server offers no AUTH at all.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "no auth offered\n"]
set code [catch {smtp::sendmessage $tok -originator u@example.com \
    -recipients r@example.com -servers localhost -username user -password secret \
    -debug 1} res]
puts "code=$code res=[list $res]"
mime::finalize $tok
