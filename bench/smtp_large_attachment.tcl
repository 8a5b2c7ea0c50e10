# A message with a large -file attachment (base64) sent with
# smtp::sendmessage. Usage: smtp_large_attachment.tcl INFILE PORT
package require mime
package require smtp
lassign $argv infile port
set text [mime::initialize -canonical text/plain -string "The report is attached."]
set att [mime::initialize -canonical application/octet-stream -encoding base64 \
    -header {Content-Disposition {attachment; filename="report.bin"}} -file $infile]
set msg [mime::initialize -canonical multipart/mixed -parts [list $text $att]]
mime::setheader $msg Subject "Monthly report"
puts [smtp::sendmessage $msg -originator reports@example.org -recipients ops@example.org \
    -servers 127.0.0.1 -ports $port]
mime::finalize $msg -subordinates all
