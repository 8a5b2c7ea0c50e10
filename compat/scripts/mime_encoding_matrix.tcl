# Every -encoding on text and on binary content: what buildmessage writes,
# and what getbody (raw and -decode) gives back.
package require mime
set text "Line one\nLine two with \xe9t\xe9 and a long tail [string repeat {xyz } 22]\n. dot line\nFrom here\n"
set bin [binary format c* {0 1 2 13 10 127 128 200 255 61 32 9 10 46}]
foreach enc {7bit 8bit binary quoted-printable base64} {
    foreach {name type data} [list text text/plain $text bin application/octet-stream $bin] {
        puts "=== $name $enc"
        if {[catch {mime::initialize -canonical $type -encoding $enc -string $data} t]} {
            puts "error: $t"
            continue
        }
        binary scan [mime::buildmessage $t] H* hex; set hex [regsub -all {..} $hex {& }]
        puts [regsub -all {Content-ID: <[^>]*>} [string map {\r\n \n} [mime::buildmessage $t]] {Content-ID: X}]
        puts "encoding=[mime::getproperty $t encoding] size=[mime::getproperty $t size]"
        binary scan [mime::getbody $t] H* raw; set raw [regsub -all {..} $raw {& }]
        binary scan [mime::getbody $t -decode] H* dec; set dec [regsub -all {..} $dec {& }]
        puts "raw=$raw"
        puts "dec=$dec"
        mime::finalize $t
    }
}
