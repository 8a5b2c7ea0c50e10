# -originator "" gives the null reverse path MAIL FROM:<> (bounces, DSNs).
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Delivery failed.\n"]
mime::setheader $tok Subject "Undeliverable"
smtp::sendmessage $tok -originator "" -recipients postmaster@example.com \
    -servers localhost
mime::finalize $tok
