# AUTH fails with the first server; a second server is listed.
# compat: auth PLAIN LOGIN
# compat: user alice s3cret
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "auth failover\n"]
set code [catch {smtp::sendmessage $tok -originator alice@example.com \
    -recipients r@example.com -servers {localhost localhost} \
    -username alice -password wrong} res]
puts "code=$code res=[list $res]"
mime::finalize $tok
set tok [mime::initialize -canonical text/plain -string "second try\n"]
set code [catch {smtp::sendmessage $tok -originator alice@example.com \
    -recipients r@example.com -servers localhost -username alice -password s3cret} res]
puts "code=$code res=[list $res]"
mime::finalize $tok
