# The "sendmail" helper proc many scripts copied from the Tcl wiki: its own
# Date header from clock format, Reply-To, X-Mailer, 7bit body, errors
# caught and logged to stderr.
package require smtp
package require mime

proc sendmail {to subject body {from "webmaster@example.com"}} {
    set date [clock format [clock seconds] -format "%a, %d %b %Y %H:%M:%S %z"]
    set token [mime::initialize -canonical text/plain -encoding 7bit -string $body]
    mime::setheader $token Reply-To "noreply@example.com"
    mime::setheader $token X-Mailer "Tcl [info patchlevel] / tcllib"
    if {[catch {
        smtp::sendmessage $token -servers [list localhost] -ports 25 \
            -header [list From $from] \
            -header [list To $to] \
            -header [list Subject $subject] \
            -header [list Date $date]
    } err]} {
        puts stderr "sendmail failed: $err"
        mime::finalize $token
        return 0
    }
    mime::finalize $token
    return 1
}

puts [sendmail "user@example.com" "Password reset" "Click the link to reset.\n"]
puts [sendmail "" "No recipient" "x\n"]
