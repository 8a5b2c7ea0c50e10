# A message with a large -file attachment (base64), built and written to a
# file with mime::copymessage. Usage: mime_large_attachment.tcl INFILE OUTFILE
package require mime
lassign $argv infile outfile
set text [mime::initialize -canonical text/plain -string "The report is attached."]
set att [mime::initialize -canonical application/octet-stream -encoding base64 \
    -header {Content-Disposition {attachment; filename="report.bin"}} -file $infile]
set msg [mime::initialize -canonical multipart/mixed -parts [list $text $att]]
mime::setheader $msg Subject "Monthly report"
mime::setheader $msg From "reports@example.org"
set out [open $outfile w]
fconfigure $out -translation crlf
mime::copymessage $msg $out
close $out
mime::finalize $msg -subordinates all
