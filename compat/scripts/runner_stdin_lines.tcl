# Reading the message body from stdin line by line, with eof checks.
# compat: stdin data/app.log
package require mime
set lines 0
while {[gets stdin line] >= 0} { incr lines; lappend body $line }
puts "lines=$lines eof=[eof stdin]"
set t [mime::initialize -canonical text/plain -string [join $body \n]]
puts [mime::getproperty $t size]
puts [catch {read stdin} r]:[string length $r]
