# copymessage a nested multipart to a file and show it; then parse a saved
# message with nested parts from a file, walk it and write it out again.
# (Parsing tcllib 1.7.0's own multipart output fails on its doubled
# boundary= line, so the file parsed here is written by the script.)
package require mime
set inner [mime::initialize -canonical multipart/related -param {type text/html} \
    -parts [list \
        [mime::initialize -canonical text/html -string "<img src=\"cid:logo\">\n"] \
        [mime::initialize -canonical image/gif -encoding base64 \
            -header {Content-ID <logo>} \
            -string [binary format H* 47494638396101000100800000ffffff00000021f90401000000002c00000000010001000002024401003b]]]]
set note [mime::initialize -canonical text/plain -encoding quoted-printable \
    -string "see the picture = logo\n"]
set top [mime::initialize -canonical multipart/mixed -parts [list $note $inner]]
mime::setheader $top Subject "Logo"
set fd [file tempfile path]
fconfigure $fd -translation binary
mime::copymessage $top $fd
close $fd
set f [open $path rb]; set written [read $f]; close $f
puts [string map {\r \\r} $written]
set fd [open $path w]
fconfigure $fd -translation binary
puts -nonewline $fd "From: a@example.org\nSubject: saved\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"OUT\"\n\n--OUT\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\nsee the picture =3D logo=\n here\n--OUT\nContent-Type: multipart/related; type=\"text/html\"; boundary=\"IN\"\n\n--IN\nContent-Type: text/html\n\n<img src=\"cid:logo\">\n--IN\nContent-Type: image/gif\nContent-ID: <logo>\nContent-Transfer-Encoding: base64\n\nR0lGODlhAQABAIAAAP///wAAACH5BAEAAAAALAAAAAABAAEAAAICRAEAOw==\n--IN--\n\n--OUT--\n"
close $fd
set back [mime::initialize -file $path]
proc walk {t depth} {
    set pad [string repeat "  " $depth]
    puts "$pad[mime::getproperty $t content] params=[lsort -stride 2 [mime::getproperty $t params]] enc=[mime::getproperty $t encoding]"
    if {[catch {mime::getproperty $t parts} parts]} {
        binary scan [mime::getbody $t -decode] H* h; set h [regsub -all {..} $h {& }]
        puts "$pad  body=$h"
    } else {
        foreach p $parts { walk $p [expr {$depth + 1}] }
    }
}
walk $back 0
puts [lsort [mime::getheader $back -names]]
set fd [file tempfile path2]
fconfigure $fd -translation binary
mime::copymessage $back $fd
seek $fd 0
puts [string map {\r \\r} [read $fd]]
close $fd
file delete $path2
set again [mime::buildmessage $back]
set f [open $path rb]; set orig [read $f]; close $f
puts "same bytes: [string equal $again $orig]"
puts "lengths: [string length $orig] [string length $again]"
file delete $path
mime::finalize $back
mime::finalize $top -subordinates all
