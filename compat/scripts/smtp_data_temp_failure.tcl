# The final dot answered 452; the script parses the dict tcllib returns.
# compat: data-reply "452 4.3.1 insufficient system storage"
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "storage test\n"]
mime::setheader $tok Subject "storage"
set code [catch {smtp::sendmessage $tok -originator s@example.com \
    -recipients r@example.com -servers localhost -debug 1} res]
puts "code=$code"
if {$code == 7} {
    array set resp $res
    puts "smtp code: $resp(code) diagnostic: $resp(diagnostic) args: [list $resp(args)]"
}
mime::finalize $tok
