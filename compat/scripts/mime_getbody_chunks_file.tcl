# getbody -command chunk sizes for parts parsed from a file (base64,
# quoted-printable, 8bit) and from a string, at several -blocksize values.
package require mime
set dir [file dirname [info script]]
set fd [file tempfile path]
fconfigure $fd -translation binary
set b64 [binary encode base64 -maxlen 76 [string repeat "0123456789abcdef" 40]]
set qp [mime::qp_encode "[string repeat {caf\xe9 au lait = good } 12]\nsecond line\n"]
puts -nonewline $fd "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"Z\"\n\n--Z\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n$b64\n--Z\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n$qp\n--Z\nContent-Type: text/plain\nContent-Transfer-Encoding: 8bit\n\n[string repeat {eight bit line } 20]\n--Z--\n"
close $fd
proc collect {phase args} {
    if {$phase eq "data"} { lappend ::sizes [string length [lindex $args 0]] }
    if {$phase eq "end"} { return done }
}
foreach src {file string} {
    if {$src eq "file"} {
        set t [mime::initialize -file $path]
    } else {
        set f [open $path rb]; set t [mime::initialize -string [read $f]]; close $f
    }
    foreach p [mime::getproperty $t parts] {
        foreach bs {1 7 64 100 4096} {
            set ::sizes {}
            set r [mime::getbody $p -command collect -blocksize $bs]
            puts "$src [mime::getproperty $p encoding] bs=$bs r=$r sizes=[lrange $::sizes 0 12] n=[llength $::sizes] total=[tcl::mathop::+ 0 {*}$::sizes]"
        }
        puts "   decode: [string length [mime::getbody $p -decode]] raw: [string length [mime::getbody $p]]"
    }
    mime::finalize $t
}
file delete $path
