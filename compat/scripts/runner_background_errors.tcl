# Errors in `after` callbacks while the script waits (tclsh reports them as
# background errors and carries on), a custom bgerror, pending timers at exit.
package require mime
after 0 {error "boom in timer" {} {MYAPP TIMER}}
# idle: the report of a background error is an idle callback; under load both
# timers fire in one pass, and the wait must still end after that report
after 30 {after idle {set ::step1 1}}
vwait ::step1
puts "after the first background error"
proc bgerror {msg} { puts "bgerror got: $msg ($::errorCode)" }
after 0 {mime::getproperty ::mime::nosuch content}
after 30 {after idle {set ::step2 1}}
vwait ::step2
puts "after the second background error"
after 100 {puts "this timer never runs"}
puts -nonewline "no newline, not flushed"
