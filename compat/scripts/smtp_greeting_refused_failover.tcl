# The server greets with 554; two servers are listed.
# compat: greeting "554 5.3.2 no service for you"
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "greeting\n"]
set code [catch {smtp::sendmessage $tok -originator u@example.com \
    -recipients r@example.com -servers {localhost localhost} -debug 1} res]
puts "code=$code res=[list $res] ec=$::errorCode"
mime::finalize $tok
