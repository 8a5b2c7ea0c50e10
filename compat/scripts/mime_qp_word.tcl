# Pure mime: the quoted-printable and encoded-word helpers.
package require mime
foreach s [list "plain ascii" "ends with space " "tab\tinside" \
        [string repeat x 100] "= equals =" [encoding convertto utf-8 "Grüße"]] {
    set e [mime::qp_encode $s]
    puts "qp_encode: $e"
    puts "round trip: [expr {[mime::qp_decode $e] eq $s}]"
}
puts [mime::qp_encode "subject text" 1]
puts [mime::qp_decode "soft=\nbreak and =3D and =C3=BC"]
foreach {charset method text} {
    utf-8 quoted-printable "Grüße aus Köln"
    utf-8 base64 "Jürgen"
    iso8859-1 quoted-printable "café"
    utf-8 quoted-printable "plain"
} {
    set w [mime::word_encode $charset $method $text]
    puts "word_encode $charset $method: $w"
    puts "word_decode: [mime::word_decode $w]"
}
puts [mime::field_decode "=?utf-8?q?Gr=C3=BC=C3=9Fe?= und =?iso-8859-1?q?caf=E9?= done"]
puts [mime::mapencoding utf-8]
puts [mime::reversemapencoding ISO-8859-1]
