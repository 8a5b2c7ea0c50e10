# Bcc: tcllib sends the original to To/Cc, then a multipart/digest copy to
# the Bcc addresses on the same connection.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Salary review is on Friday.\n"]
smtp::sendmessage $tok \
    -header {From hr@example.com} \
    -header {To team@example.com} \
    -header {Bcc "boss@example.com, audit@example.com"} \
    -header {Subject "Review"} \
    -servers localhost
mime::finalize $tok
