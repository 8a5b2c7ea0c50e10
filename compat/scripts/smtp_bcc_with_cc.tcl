# To, Cc and Bcc together, with -originator differing from From.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Minutes of the meeting.\n"]
mime::setheader $tok Subject "Minutes"
set res [smtp::sendmessage $tok -servers localhost -originator bounces@example.com \
    -header {From "Secretary <sec@example.com>"} \
    -header {To "team@example.com"} -header {Cc "chair@example.com, vice@example.com"} \
    -header {Bcc "archive@example.com, audit@example.com"}]
puts [list $res]
mime::finalize $tok
