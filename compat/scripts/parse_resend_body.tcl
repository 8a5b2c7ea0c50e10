# Parse a message, take its first text part's decoded body, and send it on
# as a new plain message.
package require smtp
package require mime
set path [file join [file dirname [info script]] data incoming.eml]
set f [open $path]
set raw [read $f]
close $f
set orig [mime::initialize -string $raw]
set first [lindex [mime::getproperty $orig parts] 0]
set text [mime::getbody $first]
puts "charset: [dict get [mime::getproperty $first params] charset]"
set tok [mime::initialize -canonical text/plain -param {charset utf-8} -string $text]
mime::setheader $tok Subject "Ticket: [lindex [mime::getheader $orig Subject] 0]"
smtp::sendmessage $tok -originator tickets@example.com -recipients queue@example.com \
    -servers localhost
mime::finalize $tok
mime::finalize $orig -subordinates all
