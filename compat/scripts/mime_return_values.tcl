# What the mime commands return when they succeed (scripts sometimes keep
# or print these values).
package require mime
set t [mime::initialize -canonical text/plain -string "abc\n"]
puts "setheader new: [list [mime::setheader $t X-A one]]"
puts "setheader again: [list [mime::setheader $t X-A two]]"
puts "setheader append: [list [mime::setheader $t X-A three -mode append]]"
puts "setheader delete: [list [mime::setheader $t X-A {} -mode delete]]"
puts "setheader delete missing: [catch {mime::setheader $t X-Nope {} -mode delete} m] [list $m]"
puts "getheader all: [lsort [dict keys [mime::getheader $t]]]"
set fd [file tempfile path]
puts "copymessage: [list [mime::copymessage $t $fd]]"
close $fd
file delete $path
proc cb {phase args} { return "ret-$phase" }
puts "getbody -command: [list [mime::getbody $t -command cb]]"
puts "getbody -decode -command: [list [mime::getbody $t -decode -command cb]]"
puts "getbody both orders: [list [mime::getbody $t -blocksize 2 -decode]]"
puts "finalize: [list [mime::finalize $t]]"
set u [mime::initialize -string "Subject: x\n\n\x00nul\xffbyte\n"]
binary scan [mime::getbody $u] H* h; set h [regsub -all {..} $h {& }]
puts "nul body: $h"
puts "headers: [mime::getheader $u]"
mime::finalize $u
set v [mime::initialize -string "Subject: caf\xc3\xa9 raw\nX-8bit: \xe9t\xe9\n\nbody\n"]
foreach h {Subject X-8bit} { binary scan [encoding convertto utf-8 [lindex [mime::getheader $v $h] 0]] H* x; set x [regsub -all {..} $x {& }]; puts "$h: $x" }
puts [string length [mime::buildmessage $v]]
mime::finalize $v
