# MAIL FROM refused temporarily: does the failover list get tried, and what
# does the script catch?
# compat: refuse-sender busy@example.com "451 4.3.0 try again later"
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "retry me\n"]
set code [catch {smtp::sendmessage $tok -originator busy@example.com \
    -recipients r@example.com -servers {localhost localhost} -debug 1} res opts]
puts "code=$code res=[list $res]"
puts "errorcode=[dict get $opts -errorcode]"
mime::finalize $tok
