# Attachments with the type's parameters inline in -canonical and a bare
# Content-Disposition, sent through a command list run with eval in catch.
package require smtp
package require mime
set dir [file join [file dirname [info script]] data]
set parts {}
lappend parts [mime::initialize -canonical text/plain -string "Documents attached.\n"]
lappend parts [mime::initialize -canonical "application/octet-stream; name=\"sample.bin\"" \
    -encoding base64 -header {Content-Disposition attachment} -file [file join $dir sample.bin]]
lappend parts [mime::initialize -canonical "text/html; name=\"report.html\"" \
    -encoding quoted-printable -header {Content-Disposition attachment} \
    -file [file join $dir report.html]]
set token [mime::initialize -canonical multipart/mixed -parts $parts]
set command [list ::smtp::sendmessage $token -servers localhost -ports 25 \
    -header [list From "docs@example.com"] -header [list To "client@example.com"] \
    -header [list Subject "Your documents"] -debug 0]
if {[catch {eval $command} err]} {
    error "Error when sending mail: $err"
}
puts "ok: [list $err]"
mime::finalize $token -subordinates all
