#!/usr/bin/env tclsh
# Cron job: mail the ERROR lines of last night's log to the admins.
# compat: note redirect mode: the script names mail.example.com, every send goes to the recording server
package require smtp
package require mime

set logfile [file join [file dirname [info script]] data app.log]
set f [open $logfile r]
set errors {}
while {[gets $f line] >= 0} {
    if {[string match "*ERROR*" $line]} { lappend errors $line }
}
close $f

if {[llength $errors] == 0} { exit 0 }

set body "The nightly backup logged [llength $errors] error(s):\n\n"
append body [join $errors \n] \n
set tok [mime::initialize -canonical text/plain -string $body]
mime::setheader $tok Subject "\[cron\] backup: [llength $errors] errors"
mime::setheader $tok X-Mailer "backup-cron 2.1"
smtp::sendmessage $tok \
    -originator cron@backup.example.com \
    -recipients {ops@example.com, dba@example.com} \
    -servers mail.example.com
mime::finalize $tok
puts "sent [llength $errors] errors"
