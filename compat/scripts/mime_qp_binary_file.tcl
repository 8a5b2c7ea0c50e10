# A binary file sent quoted-printable and 7bit (scripts do pick odd
# compat: difference "`mime::buildmessage` keeps the bytes of `-file` bodies sent without base64 or quoted-printable"
# encodings), and a text file with no -encoding.
package require mime
set dir [file dirname [info script]]
set bin [file join $dir data sample.bin]
set log [file join $dir data app.log]
foreach {type enc file} [list application/octet-stream quoted-printable $bin \
        application/octet-stream 7bit $bin text/plain {} $log \
        text/plain base64 $log] {
    set args [list -canonical $type -file $file]
    if {$enc ne ""} { lappend args -encoding $enc }
    set t [mime::initialize {*}$args]
    set m [mime::buildmessage $t]
    set m [regsub {Content-ID: <[^>]*>} $m {Content-ID: X}]
    puts "== $type $enc [string length $m] [mime::getproperty $t encoding]"
    binary scan $m H* h
    puts [regsub {Content-ID: <[^>]*>} [string map {\r\n \n} $m] {Content-ID: X}]
    set f [open $file rb]; set orig [read $f]; close $f
    puts "getbody equals file: [string equal [mime::getbody $t] $orig]"
    mime::finalize $t
}
