# Recipients taken from -header To and Cc (no -recipients).
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Minutes of today's meeting.\n"]
smtp::sendmessage $tok \
    -header {From "Secretary <sec@example.com>"} \
    -header {To "Ann <ann@example.com>, bob@example.com"} \
    -header {Cc "Cid <cid@example.com>"} \
    -header {Subject "Minutes"} \
    -servers localhost
mime::finalize $tok
