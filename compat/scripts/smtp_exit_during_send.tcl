# A watchdog timer calls exit while a slow send is still waiting for the
# server's reply to the final dot.
# compat: data-delay 2
package require smtp
package require mime
after 500 {puts "watchdog: giving up"; exit 5}
set tok [mime::initialize -canonical text/plain -string "slow\n"]
smtp::sendmessage $tok -originator a@example.com -recipients b@example.com -servers localhost
puts "not reached"
