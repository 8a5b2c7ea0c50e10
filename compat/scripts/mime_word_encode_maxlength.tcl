# Subject lines encoded with word_encode at several -maxlength values, and
# decoded again with field_decode.
package require mime
set subjects [list \
    "Rechnung f\u00fcr M\u00e4rz \u2013 bitte pr\u00fcfen" \
    "\u65e5\u672c\u8a9e\u306e\u4ef6\u540d\u3067\u3059\u3002\u3088\u308d\u3057\u304f" \
    "Plain ASCII subject that is rather long and keeps going on and on" \
    "a_b=c?d e\tf"]
foreach s $subjects {
    foreach {cs enc} {utf-8 quoted-printable utf-8 base64 iso8859-1 quoted-printable shift_jis base64} {
        foreach max {0 30 40 75} {
            set args [list $cs $enc [encoding convertto [expr {$cs eq "shift_jis" ? "shiftjis" : $cs}] $s]]
            if {$max} { lappend args -maxlength $max }
            if {[catch {mime::word_encode {*}$args} w]} {
                puts "$cs $enc $max: ERROR $w"
                continue
            }
            puts "$cs $enc $max: [string map {\n \\n} $w]"
            puts "   back: [string equal [mime::field_decode $w] $s] [mime::field_decode $w]"
        }
    }
}
puts [mime::word_encode utf-8 base64 "\u00e9t\u00e9" -charset_encoded 0 -maxlength 25]
puts [catch {mime::word_encode utf-8 base64 x -maxlength abc} m]:$m
puts [catch {mime::word_encode utf-8 base64 x -bogus 1} m]:$m
