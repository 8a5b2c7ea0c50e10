# Parse a received message from a file, then forward it as a
# message/rfc822 attachment with a short note.
package require smtp
package require mime
set path [file join [file dirname [info script]] data incoming.eml]
set orig [mime::initialize -file $path]
set subject [lindex [mime::getheader $orig Subject] 0]
set from [lindex [mime::getheader $orig From] 0]
puts "forwarding: $subject (from $from)"
set note [mime::initialize -canonical text/plain \
    -string "Forwarded to the printer team.\n"]
set fwd [mime::initialize -canonical message/rfc822 -parts [list $orig]]
set msg [mime::initialize -canonical multipart/mixed -parts [list $note $fwd]]
mime::setheader $msg Subject "Fwd: $subject"
smtp::sendmessage $msg -originator support@example.com \
    -recipients printers@example.com -servers localhost
mime::finalize $msg -subordinates all
