# The token-less mime:: commands, each timed in a loop; prints one line per
# operation: NAME MICROSECONDS-PER-CALL CHECKSUM (the checksum is the length
# of the results, so both implementations can be compared).
# Usage: mime_functions.tcl ?SCALE?
package require mime
set scale [expr {$argc > 0 ? [lindex $argv 0] : 1}]

set addrs [join [lrepeat 200 {"Joe Q. Public" <john.q.public@example.com> (work)}] ", "]
set text [string repeat "caf\u00e9 = na\u00efve line with a trailing space \n" 20000]
set qp [mime::qp_encode $text]
set subject [string repeat "R\u00e9sum\u00e9 \u4e2d\u6587 " 6]
set words [mime::word_encode utf-8 quoted-printable $subject -charset_encoded 0]

proc bench {name count script} {
    set sum 0
    set us [lindex [time {incr sum [string length [uplevel #0 $script]]} $count] 0]
    puts [format "%-28s %12.1f %d" $name $us $sum]
}

bench "parseaddress (200 addrs)" [expr {5 * $scale}] {mime::parseaddress $addrs}
bench "qp_encode (1 MB)" [expr {2 * $scale}] {mime::qp_encode $text}
bench "qp_decode (1 MB)" [expr {2 * $scale}] {mime::qp_decode $qp}
bench "parsedatetime clock" [expr {2000 * $scale}] {mime::parsedatetime "Sat, 28 Nov 2026 14:54:06 -0500" clock}
bench "parsedatetime proper" [expr {2000 * $scale}] {mime::parsedatetime "Sat, 28 Nov 2026 14:54:06 -0500" proper}
bench "word_encode Q" [expr {500 * $scale}] {mime::word_encode utf-8 quoted-printable $subject -charset_encoded 0}
bench "word_encode B" [expr {500 * $scale}] {mime::word_encode utf-8 base64 $subject -charset_encoded 0}
bench "field_decode" [expr {2000 * $scale}] {mime::field_decode $words}
