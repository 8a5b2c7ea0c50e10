# setheader on a parsed message and on its parts, then buildmessage.
package require mime
set raw "From: Alice <alice@example.org>\nTo: bob@example.org\nSubject: status\nX-Tag: one\nX-Tag: two\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"B1\"\n\nignored preamble\n--B1\nContent-Type: text/plain; charset=us-ascii\nX-Inner: a\n\nfirst part\n--B1\nContent-Type: application/json\n\n{\"a\": 1}\n--B1--\nepilogue\n"
set t [mime::initialize -string $raw]
puts [mime::getheader $t -names]
puts [mime::getheader $t x-tag]
puts [mime::getheader $t]
mime::setheader $t Subject "status (edited)"
mime::setheader $t X-Tag three -mode append
mime::setheader $t To "" -mode delete
mime::setheader $t x-new fresh
set first [lindex [mime::getproperty $t parts] 0]
mime::setheader $first X-Inner b -mode append
mime::setheader $first Content-Disposition inline
# (a refused setheader is tried on a token of its own: tcllib 1.7.0 leaves
# the token unusable after it)
foreach h {Content-Type content-transfer-encoding MIME-Version Content-ID} {
    set scratch [mime::initialize -string "Content-Type: text/plain\n\nscratch\n"]
    puts "$h: [catch {mime::setheader $scratch $h x} m] $m"
    mime::finalize $scratch
}
puts [string map {\r\n \n} [mime::buildmessage $t]]
puts [mime::getheader $first -names]
puts [catch {mime::getheader $t To} m]:$m
mime::finalize $t
