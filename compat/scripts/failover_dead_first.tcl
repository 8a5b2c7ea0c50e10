# Failover: the first server does not answer, the second does (-debug shows
# the attempts).
# compat: args {server} {deadport} {port}
package require smtp
package require mime
lassign $argv host dead live
set tok [mime::initialize -canonical text/plain -string "failover test\n"]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers [list $host $host] -ports [list $dead $live] -debug 1
mime::finalize $tok
puts done
