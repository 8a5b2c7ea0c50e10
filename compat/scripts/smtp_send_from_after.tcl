# A daemon-style script: the mail goes out from an `after` callback while the
# main program waits in vwait; a second send is chained from the first.
package require smtp
package require mime
proc send_one {n} {
    set tok [mime::initialize -canonical text/plain -string "tick $n\n"]
    mime::setheader $tok Subject "tick $n"
    if {[catch {smtp::sendmessage $tok -originator cron@example.com \
            -recipients watch@example.com -servers localhost} err]} {
        puts "send $n failed: $err"
    }
    mime::finalize $tok
    puts "sent $n"
    if {$n < 3} {
        after 10 [list send_one [incr n]]
    } else {
        set ::done 1
    }
}
after 0 [list send_one 1]
after 20000 {set ::done timeout}
vwait ::done
puts "done: $::done"
