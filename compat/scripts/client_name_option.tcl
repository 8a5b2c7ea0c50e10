# -client names the EHLO argument; with the server in the arguments nothing
# is normalized, so the exact name is compared.
# compat: args {server} {port}
package require smtp
package require mime
lassign $argv host port
set tok [mime::initialize -canonical text/plain -string "client name\n"]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers $host -ports $port -client mail.client.example
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers $host -ports $port
mime::finalize $tok
