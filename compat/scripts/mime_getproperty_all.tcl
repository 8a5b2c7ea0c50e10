# getproperty with no property on built and parsed multiparts, and on their
# parts; -names; size of each encoding.
package require mime
proc show {label t} {
    set d [mime::getproperty $t]
    set out {}
    foreach k [lsort [dict keys $d]] {
        set v [dict get $d $k]
        if {$k eq "parts"} { set v [llength $v] }
        lappend out $k $v
    }
    puts "$label: $out"
    puts "$label names: [lsort [mime::getproperty $t -names]]"
}
set a [mime::initialize -canonical text/plain -string "short\n"]
set b [mime::initialize -canonical application/pdf -encoding base64 -string [string repeat \x00\x01 50]]
set c [mime::initialize -canonical text/plain -encoding quoted-printable -string "caf\xe9\n"]
set m [mime::initialize -canonical multipart/mixed -parts [list $a $b $c]]
show built $m
foreach p [list $a $b $c] { show part $p }
set parsed [mime::initialize -string "Content-Type: multipart/mixed; boundary=\"P\"\n\n--P\nContent-Type: text/plain\n\nshort\n--P\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nAAEAAQABAAE=\n--P--\n"]
show parsed $parsed
foreach p [mime::getproperty $parsed parts] { show ppart $p }
foreach prop {content encoding params parts size} {
    puts "$prop: [catch {mime::getproperty $a $prop} r] [expr {$prop eq "parts" ? $r : ""}]"
}
mime::finalize $parsed
mime::finalize $m -subordinates all
