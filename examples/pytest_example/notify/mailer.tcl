# notify/mailer.tcl -- the Tcl mail code of a small application.
#
# It talks to the company relay by name; under test, tclsmtp's tcl_mail
# fixture captures every message instead.

package require smtp
package require mime

namespace eval notify {
    variable relay mail.example.com
    variable sender "Notifier <notify@example.com>"
}

# notify::welcome ADDRESS NAME -- a plain-text welcome mail.
proc notify::welcome {address name} {
    variable relay
    variable sender
    set token [mime::initialize -canonical text/plain \
        -string "Hello $name,\n\nwelcome aboard!\n"]
    smtp::sendmessage $token -servers $relay \
        -header [list From $sender] \
        -header [list To $address] \
        -header [list Subject "Welcome, $name"]
    mime::finalize $token
}

# notify::report ADDRESSES CSVFILE -- a report with a text and an HTML
# version, and the CSV file attached; ADDRESSES is a list.
proc notify::report {addresses csvfile} {
    variable relay
    variable sender
    set plain [mime::initialize -canonical text/plain -string "The report is attached.\n"]
    set html [mime::initialize -canonical text/html \
        -string "<p>The report is <b>attached</b>.</p>\n"]
    set body [mime::initialize -canonical multipart/alternative -parts [list $plain $html]]
    set csv [mime::initialize -canonical text/csv \
        -param [list name [file tail $csvfile]] \
        -header [list Content-Disposition "attachment; filename=\"[file tail $csvfile]\""] \
        -encoding base64 -file $csvfile]
    set message [mime::initialize -canonical multipart/mixed -parts [list $body $csv]]
    set result [smtp::sendmessage $message -servers $relay -atleastone 1 \
        -header [list From $sender] \
        -header [list To [join $addresses ", "]] \
        -header [list Subject "Daily report"]]
    mime::finalize $message -subordinates all
    return $result
}
