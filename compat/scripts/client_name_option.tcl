# -client names the EHLO argument; with the server in the arguments nothing
# is normalized, so the exact name is compared (a fresh token per send).
# compat: args {server} {port}
package require smtp
package require mime
lassign $argv host port
foreach client {mail.client.example {}} {
    set tok [mime::initialize -canonical text/plain -string "client name\n"]
    set opts [list -originator me@example.com -recipients you@example.com \
        -servers $host -ports $port]
    if {$client ne ""} { lappend opts -client $client }
    smtp::sendmessage $tok {*}$opts
    mime::finalize $tok
}
