# What the caller's token looks like after sendmessage.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "check headers\n"]
mime::setheader $tok Subject "before"
puts "before: [mime::getheader $tok -names]"
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
puts "after: [mime::getheader $tok -names]"
puts "from: [mime::getheader $tok From]"
puts "bcc: [list [mime::getheader $tok Bcc]]"
mime::finalize $tok
