# Re-sending a message with Resent-* headers: tcllib takes the recipients
# from Resent-To and prefixes the headers it adds with Resent-.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Original text.\n"]
mime::setheader $tok From "alice@example.org"
mime::setheader $tok To "old@example.com"
mime::setheader $tok Subject "Original subject"
smtp::sendmessage $tok \
    -header {Resent-From "helpdesk@example.com"} \
    -header {Resent-To "new-owner@example.com"} \
    -servers localhost
mime::finalize $tok
