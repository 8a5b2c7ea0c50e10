# multipart/alternative (plain + HTML) inside multipart/mixed with an
# attachment: the shape most newsletter and report mails have.
package require smtp
package require mime
set plain [mime::initialize -canonical "text/plain; charset=us-ascii" \
    -string "Hello,\n\nthe report is attached.\n"]
set html [mime::initialize -canonical "text/html; charset=us-ascii" \
    -string "<p>Hello,</p><p>the report is <b>attached</b>.</p>\n"]
set alt [mime::initialize -canonical multipart/alternative -parts [list $plain $html]]
set pdf [mime::initialize -canonical application/pdf -param {name report.pdf} \
    -encoding base64 -string "%PDF-1.4\n% fake pdf for the test\n%%EOF\n"]
set top [mime::initialize -canonical multipart/mixed -parts [list $alt $pdf]]
mime::setheader $top Subject "Monthly report"
mime::setheader $top From "Reports <reports@example.com>"
mime::setheader $top To "Board <board@example.com>"
smtp::sendmessage $top -recipients board@example.com -servers localhost
puts [mime::getproperty $top content]
puts [llength [mime::getproperty $top parts]]
mime::finalize $top -subordinates all
