# Headers of received mail with mixed encoded words, charsets, and broken
# words, decoded with field_decode and word_decode.
package require mime
foreach h {
    {=?iso-8859-1?q?Andr=E9?= =?utf-8?b?w6lsw6hu?= plain tail}
    {Re: =?UTF-8?B?w4RyZ2Vy?= and =?ISO-8859-15?Q?=A4uro?=}
    {=?windows-1252?Q?=93quoted=94?=}
    {=?koi8-r?B?8NLJ18XU?=}
    {=?utf-8?q?broken=ZZ?=}
    {=?utf-8?x?unknown_method?=}
    {=?nosuchcharset?q?abc?=}
    {=?utf-8?q??=}
    {no encoded words at all}
    {=?utf-8?q?a?==?utf-8?q?b?=}
    {  leading and trailing spaces  }
    {=?UTF-8?Q?=E2=82=AC_100?= (=?UTF-8?Q?comment?=) "=?UTF-8?Q?quoted?="}
    {=?us-ascii*en?q?with_language?=}
} {
    if {[catch {mime::field_decode $h} d]} { set d "ERROR: $d" }
    puts "[list $h] -> [list $d]"
}
foreach w {=?ISO-8859-1?Q?caf=E9?= =?UTF-8?B?Y2Fmw6k=?= =?utf-8?q?x?= notaword =?a?b?} {
    if {[catch {mime::word_decode $w} d]} { set d "ERROR: $d" }
    puts "word [list $w] -> [list $d]"
}
