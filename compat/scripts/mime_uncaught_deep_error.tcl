# A parsed message with a transfer encoding tcllib cannot write; the script
# does not catch the error of buildmessage, so tclsh prints the error trace.
package require mime
set t [mime::initialize -string "Content-Type: text/plain\nContent-Transfer-Encoding: x-uuencode\n\nbegin 644 a.txt\n"]
puts "parsed: [mime::getproperty $t encoding]"
puts [mime::buildmessage $t]
