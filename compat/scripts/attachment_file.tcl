# A text body plus a binary attachment read from a file (base64).
package require smtp
package require mime
set dir [file dirname [info script]]
set text [mime::initialize -canonical text/plain -string "Please find the dump attached.\n"]
set bin [mime::initialize -canonical "application/octet-stream; name=\"sample.bin\"" \
    -encoding base64 -file [file join $dir data sample.bin] \
    -header {Content-Disposition {attachment; filename="sample.bin"}}]
set msg [mime::initialize -canonical multipart/mixed -parts [list $text $bin]]
mime::setheader $msg Subject "Database dump"
mime::setheader $msg From "backup@example.com"
mime::setheader $msg To "archive@example.com"
smtp::sendmessage $msg -recipients archive@example.com -servers localhost
mime::finalize $msg -subordinates all
