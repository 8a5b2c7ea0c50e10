# -header To given twice, and a custom X- header; -originator differs from
# From, so tcllib adds a Sender header.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Two To headers.\n"]
smtp::sendmessage $tok \
    -originator bounces@lists.example.com \
    -header {From "List <list@example.com>"} \
    -header {To a@example.com} \
    -header {To b@example.com} \
    -header {X-Priority 1} \
    -header {Subject "repeated"} \
    -servers localhost
mime::finalize $tok
