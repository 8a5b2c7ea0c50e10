# Several -header To, an empty Cc and an empty Bcc (a pattern seen in
# published scripts), plus a From with a display name.
package require smtp
package require mime
proc send_simple_message {originator recipients subject body} {
    set token [mime::initialize -canonical text/plain -string $body]
    set cmd [list smtp::sendmessage $token -servers localhost \
        -header [list From $originator] -header [list Subject $subject] \
        -header [list cc ""] -header [list Bcc ""]]
    foreach r $recipients { lappend cmd -header [list To $r] }
    if {[catch {eval $cmd} err]} {
        puts "Error when sending mail: $err"
    } else {
        puts "result: $err"
    }
    mime::finalize $token
}
send_simple_message "Build Robot <robot@example.com>" \
    {dev1@example.com "Dev Two <dev2@example.com>"} "Build #812 failed" \
    "Compilation stopped at step 4.\n"
