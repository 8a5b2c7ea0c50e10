# Broken mail saved to files, parsed with -file as a mail filter would:
# parts with broken Content-Type lines, missing closing delimiters, a
# boundary that never appears, an empty file.
package require mime
proc sortdict {d} {
    set out {}
    foreach k [lsort [dict keys $d]] {
        set v [dict get $d $k]
        if {$k eq "parts"} { set v [llength $v] }
        lappend out $k $v
    }
    return $out
}
set samples [list \
    "From: a@example.com\nContent-Type: multipart/mixed; boundary=\"--------CSX\"\n\n----------CSX\nContent-Type: application/octet-stream;\n\tname=\"\"\nContent-Transfer-Encoding:\n\n----------CSX\n" \
    "Content-Type: multipart/related; boundary=\"NP\"\n\n--NP\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\nAAAA\nBBBB\n" \
    "Content-Type: multipart/mixed; boundary=\"never\"\n\njust text, no delimiter at all\n" \
    "Content-Type: multipart/mixed\n\n--x\n\nno boundary parameter\n--x--\n" \
    "Content-Type: text/plain; charset=\n\nempty charset\n" \
    "Content-Type: text/plain; charset=\"unknown-8bit\"\nContent-Transfer-Encoding: 8bit\n\nbytes \xe9\xff\n" \
    "" \
    "\n\nbody only after blank lines\n" \
    "Subject: no body"]
set n 0
foreach raw $samples {
    incr n
    set fd [file tempfile path]
    fconfigure $fd -translation binary
    puts -nonewline $fd $raw
    close $fd
    if {[catch {mime::initialize -file $path} t]} {
        puts "$n: error [list $t]"
    } else {
        puts "$n: [sortdict [mime::getproperty $t]]"
        if {![catch {mime::getproperty $t parts} parts]} {
            foreach p $parts {
                set c [catch {mime::getbody $p -decode} b]
                puts "   part [sortdict [mime::getproperty $p]] -> $c [list $b]"
            }
        } else {
            set c [catch {mime::getbody $t -decode} b]
            puts "   body -> $c [list $b]"
        }
        mime::finalize $t
    }
    file delete $path
}
