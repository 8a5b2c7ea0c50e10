# The server refuses the message after the final dot.
# compat: data-reply 554 5.7.1 looks like spam
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "FREE MONEY\n"]
mime::setheader $tok Subject "!!!"
set code [catch {smtp::sendmessage $tok -originator me@example.com \
    -recipients you@example.com -servers localhost} result]
puts "code $code result $result"
mime::finalize $tok
