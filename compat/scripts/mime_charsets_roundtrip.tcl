# Text in iso8859-1, utf-8 and shift_jis: encoded by the script, declared with
# -param charset, built, parsed back and decoded.
package require mime
set samples [list \
    iso8859-1 ISO-8859-1 "Z\u00fcrich, S\u00e3o Paulo, K\u00f8benhavn" \
    utf-8 UTF-8 "\u041f\u0440\u0438\u0432\u0435\u0442, \u4e16\u754c" \
    shiftjis Shift_JIS "\u3053\u3093\u306b\u3061\u306f \u65e5\u672c"]
foreach {tclenc mimecs text} $samples {
    foreach enc {base64 quoted-printable 8bit} {
        set bytes [encoding convertto $tclenc $text]
        set t [mime::initialize -canonical text/plain -param [list charset $mimecs] \
            -encoding $enc -string $bytes]
        set wire [mime::buildmessage $t]
        puts "== $mimecs $enc"
        puts [regsub -all {Content-ID: <[^>]*>} [string map {\r\n \n} $wire] {Content-ID: X}]
        set p [mime::initialize -string $wire]
        puts "params: [mime::getproperty $p params]"
        puts "decoded ok: [string equal [mime::getbody $p -decode] $text]"
        binary scan [mime::getbody $p] H* h; set h [regsub -all {..} $h {& }]
        puts "raw: $h"
        mime::finalize $p
        mime::finalize $t
    }
}
puts [mime::reversemapencoding shift_jis]
puts [mime::mapencoding shiftjis]
puts [mime::mapencoding iso8859-1]
