# A message with a large -file attachment (base64), built and written to a
# file with mime::copymessage (or, with MODE "build", made into one string
# with mime::buildmessage, as tcllib's smtp does without Trf, then written).
# Usage: mime_large_attachment.tcl INFILE OUTFILE ?MODE?
package require mime
lassign $argv infile outfile mode
set text [mime::initialize -canonical text/plain -string "The report is attached."]
set att [mime::initialize -canonical application/octet-stream -encoding base64 \
    -header {Content-Disposition {attachment; filename="report.bin"}} -file $infile]
set msg [mime::initialize -canonical multipart/mixed -parts [list $text $att]]
mime::setheader $msg Subject "Monthly report"
mime::setheader $msg From "reports@example.org"
if {$mode eq "build"} {
    set message [mime::buildmessage $msg]
    set out [open $outfile wb]
    puts -nonewline $out $message
    close $out
    unset message
} else {
    set out [open $outfile w]
    fconfigure $out -translation crlf
    mime::copymessage $msg $out
    close $out
}
mime::finalize $msg -subordinates all
