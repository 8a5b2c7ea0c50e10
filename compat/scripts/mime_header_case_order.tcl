# Header names in different cases, deleted and re-added: order and spelling
# of -names and of the built message.
package require mime
set t [mime::initialize -canonical text/plain -string "x\n"]
mime::setheader $t x-trace one
mime::setheader $t X-TRACE two -mode append
mime::setheader $t Subject first
mime::setheader $t subject second
mime::setheader $t Keywords k
mime::setheader $t keywords {} -mode delete
mime::setheader $t KEYWORDS back
mime::setheader $t Content-Description "desc"
mime::setheader $t content-id "<mine@example.com>"
puts [mime::getheader $t -names]
puts [mime::getheader $t]
puts [mime::getheader $t X-Trace]
puts [string map {\r\n |} [mime::buildmessage $t]]
set p [mime::initialize -string "SUBJECT: loud\nsubject: quiet\nX-A: 1\nx-a: 2\nContent-type: TEXT/PLAIN; CHARSET=UTF-8\n\nbody\n"]
puts [mime::getheader $p -names]
puts [mime::getheader $p subject]
puts [mime::getproperty $p params]
mime::setheader $p Subject replaced
puts [string map {\r\n |} [mime::buildmessage $p]]
