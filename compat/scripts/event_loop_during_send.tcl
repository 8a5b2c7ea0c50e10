# tcllib waits with vwait: after-timers run while a message is being sent.
package require smtp
package require mime
set ticks 0
proc tick {} { incr ::ticks; after 5 tick }
after 0 tick
set tok [mime::initialize -canonical text/plain -string "while ticking\n"]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
puts "ticked during send: [expr {$ticks > 0}]"
mime::finalize $tok
exit 3
