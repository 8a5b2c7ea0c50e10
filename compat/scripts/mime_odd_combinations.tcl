# Combinations scripts get wrong or rarely use: a multipart with an
# -encoding, message/rfc822 around two parts, sizes of built multiparts,
# a part's body asked for after its parent was built.
package require mime
proc show {label script} {
    set code [catch {uplevel #0 $script} r]
    set r [regsub -all {::mime::[0-9]+} $r TOKEN]
    set r [regsub -all {Content-ID: <[^>]*>} [string map {\r\n |} $r] {Content-ID: X}]
    puts "$label: $code [list $r]"
}
set a [mime::initialize -canonical text/plain -string "alpha\n"]
set b [mime::initialize -canonical text/plain -string "beta\n"]
show enc-multipart {mime::initialize -canonical multipart/mixed -encoding base64 -parts [list $a $b]}
show enc-multipart-build {mime::buildmessage [mime::initialize -canonical multipart/mixed -param {boundary E} -encoding 7bit -parts [list $a]]}
show rfc822-two {mime::buildmessage [mime::initialize -canonical message/rfc822 -parts [list $a $b]]}
show external {mime::buildmessage [mime::initialize -canonical message/external-body -param {access-type anon-ftp} -string "Content-Type: text/plain\n\n"]}
set m [mime::initialize -canonical multipart/mixed -param {boundary S} -parts [list $a $b]]
show size-multipart {mime::getproperty $m size}
show names-multipart {mime::getproperty $m -names}
show body-after-build {mime::buildmessage $m; mime::getbody $a}
show nested-self {mime::buildmessage [mime::initialize -canonical multipart/mixed -param {boundary N} -parts [list $m $a]]}
show qp-multipart {mime::buildmessage [mime::initialize -canonical multipart/alternative -param {boundary Q} -encoding quoted-printable -parts [list $b]]}
show text-parts {mime::initialize -canonical text/plain -parts [list $a]}
show string-multipart {mime::initialize -canonical multipart/mixed -string "--x\n\nbody\n--x--\n"}
show file-multipart {mime::initialize -canonical multipart/mixed -file [file join [file dirname [info script]] data app.log]}
