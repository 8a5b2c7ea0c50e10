# A slow server and -maxsecs: the wait for the reply to the final dot runs
# out; sendmessage ends with return code 7 and a 400 "timed out" response.
# compat: data-delay 4
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "slow\n"]
set code [catch {smtp::sendmessage $tok -originator me@example.com \
    -recipients you@example.com -servers localhost -maxsecs 1} result]
puts "code $code result $result"
mime::finalize $tok
