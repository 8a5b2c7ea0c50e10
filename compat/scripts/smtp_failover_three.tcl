# Three servers: two dead ports, then the live one; one port given for all
# servers is not enough, so the list is spelled out.
# compat: args {server} {deadport} {port}
package require smtp
package require mime
lassign $argv host dead live
set tok [mime::initialize -canonical text/plain -string "third time lucky\n"]
set res [smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers [list $host $host $host] -ports [list $dead $dead $live] -debug 1]
puts "result: [list $res]"
set code [catch {smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers [list $host $host] -ports [list $dead]} res]
puts "one port for two servers: $code [string map [list $dead DEAD] $res]"
mime::finalize $tok
