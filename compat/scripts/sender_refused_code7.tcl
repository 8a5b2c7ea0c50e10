# The server refuses MAIL FROM: sendmessage ends with return code 7 and the
# response as a dict, which scripts take apart.
# compat: refuse-sender spammer@example.com 553 5.7.1 sender refused
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "buy now\n"]
set code [catch {smtp::sendmessage $tok -originator spammer@example.com \
    -recipients you@example.com -servers localhost} result]
puts "code $code"
puts "code field: [dict get $result code]"
puts "diagnostic: [dict get $result diagnostic]"
mime::finalize $tok
