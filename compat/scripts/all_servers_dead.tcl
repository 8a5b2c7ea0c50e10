# No server answers: the error a script catches.
# compat: args {server} {deadport}
package require smtp
package require mime
lassign $argv host dead
set tok [mime::initialize -canonical text/plain -string "nobody home\n"]
set code [catch {smtp::sendmessage $tok -originator me@example.com \
    -recipients you@example.com -servers [list $host $host] -ports [list $dead $dead]} msg]
puts "code $code: $msg"
puts "errorCode: $::errorCode"
mime::finalize $tok
