# Attach every file of a list, each with its name in Content-Type and
# Content-Disposition, as the wiki's attachment examples do.
package require smtp
package require mime
set dir [file join [file dirname [info script]] data]
set parts [list [mime::initialize -canonical text/plain -string "Files attached.\n"]]
foreach name {app.log report.html sample.bin} {
    set path [file join $dir $name]
    lappend parts [mime::initialize \
        -canonical "application/octet-stream; name=\"$name\"" \
        -encoding base64 -file $path \
        -header [list Content-Disposition "attachment; filename=\"$name\""]]
}
set msg [mime::initialize -canonical multipart/mixed -parts $parts]
mime::setheader $msg Subject "[llength $parts] parts"
smtp::sendmessage $msg -originator files@example.com -recipients keep@example.com \
    -header [list To keep@example.com] -servers localhost
mime::finalize $msg -subordinates all
