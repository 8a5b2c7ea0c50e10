# The server advertises a small SIZE and the message is bigger.
# compat: size 200
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string [string repeat "a long line of text\n" 30]]
set code [catch {smtp::sendmessage $tok -originator big@example.com \
    -recipients small@example.com -servers localhost -debug 1} res]
puts "code=$code res=[list $res]"
mime::finalize $tok
