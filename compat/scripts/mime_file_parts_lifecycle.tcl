# -file parts: a missing file, a file removed or changed after initialize,
# size and getbody of a -file part, and copymessage to channels configured
# in different ways.
package require mime
set fd [file tempfile path]
puts -nonewline $fd "line one\nline two caf\xe9\n"
close $fd
puts "missing: [catch {mime::initialize -canonical text/plain -file /nonexistent/x.txt} m] [list $m]"
set t [mime::initialize -canonical text/plain -file $path]
puts "size=[mime::getproperty $t size] encoding=[list [mime::getproperty $t encoding]]"
binary scan [mime::getbody $t] H* h; set h [regsub -all {..} $h {& }]
puts "body=$h"
foreach conf {{-translation binary} {-translation crlf} {-translation lf -encoding utf-8} {-translation cr}} {
    set out [file tempfile opath]
    fconfigure $out {*}$conf
    mime::copymessage $t $out
    close $out
    set f [open $opath rb]; set data [read $f]; close $f
    file delete $opath
    binary scan [regsub {Content-ID: <[^>]*>} $data {Content-ID: X}] H* h; set h [regsub -all {..} $h {& }]
    puts "[list $conf]: $h"
}
set f [open $path w]; puts -nonewline $f "changed\n"; close $f
puts "after change: [list [mime::getbody $t]] size=[mime::getproperty $t size]"
file delete $path
puts "after delete: [catch {mime::getbody $t} m] [string map [list $path PATH] $m]"
puts "build after delete: [catch {mime::buildmessage $t} m] [string map [list $path PATH] [lindex [split $m \n] 0]]"
mime::finalize $t
