# A Subject with CR/LF in it (from a web form, say): tcllib sends it as
# two header lines (header injection); tclsmtp refuses the value.
# compat: difference "Header values with CR or LF are refused"
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "contact form\n"]
set code [catch {mime::setheader $tok Subject "Hello\r\nBcc: victim@example.com"} msg]
puts "setheader: $code $msg"
set code [catch {smtp::sendmessage $tok -originator form@example.com \
    -recipients owner@example.com -servers localhost} msg]
puts "sendmessage: $code $msg"
mime::finalize $tok
