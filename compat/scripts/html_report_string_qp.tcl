# The HTML report read into a string first, sent quoted-printable.
package require smtp
package require mime
set f [open [file join [file dirname [info script]] data report.html]]
set html [read $f]
close $f
set tok [mime::initialize -canonical text/html -param {charset utf-8} \
    -encoding quoted-printable -string $html]
mime::setheader $tok Subject "Weekly sales (qp)"
mime::setheader $tok To "sales@example.com"
smtp::sendmessage $tok -originator reports@example.com -recipients sales@example.com \
    -servers localhost
mime::finalize $tok -subordinates all
