# The rarely used options together: -queue, -client, -maxsecs, -multiple
# (spelled as booleans in several ways).
package require smtp
package require mime
set n 0
foreach {queue multiple} {1 0 yes no true false off on} {
    incr n
    set tok [mime::initialize -canonical text/plain -string "message $n\n"]
    mime::setheader $tok Subject "option set $n"
    set code [catch {smtp::sendmessage $tok -originator q@example.com \
        -recipients r@example.com -servers localhost -queue $queue \
        -multiple $multiple -client relay$n.example.net -maxsecs 30} res]
    puts "$n: $code [list $res]"
    mime::finalize $tok
}
foreach opt {{-queue maybe} {-maxsecs soon} {-debug loud} {-ports {}} {-servers {}}} {
    set tok [mime::initialize -canonical text/plain -string "odd option $opt\n"]
    set code [catch {smtp::sendmessage $tok -originator q@example.com \
        -recipients r@example.com -servers localhost {*}$opt} res]
    puts "[list $opt]: $code [list $res] [expr {$code ? $::errorCode : ""}]"
    mime::finalize $tok
}
