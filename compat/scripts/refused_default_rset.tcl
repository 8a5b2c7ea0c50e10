# Without -atleastone, one refused recipient means nothing is sent (RSET);
# the refusals come back as the result, not as an error.
# compat: refuse gone@example.com 550 5.1.1 no such user
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Invoice attached.\n"]
set code [catch {smtp::sendmessage $tok -originator billing@example.com \
    -recipients "a@example.com, gone@example.com" -servers localhost} result]
puts "code $code result $result"
mime::finalize $tok
