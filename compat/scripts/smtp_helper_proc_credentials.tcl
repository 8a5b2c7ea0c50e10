# The Rosetta-Code style helper: a proc that builds, sends and finalizes,
# with credentials given but no AUTH offered by the server.
package require smtp
package require mime
package require tls
set gmailUser someone
set gmailPass hunter2
proc send_simple_message {recipient subject body} {
    global gmailUser gmailPass
    set token [mime::initialize -canonical text/plain -string $body]
    mime::setheader $token Subject $subject
    smtp::sendmessage $token -username $gmailUser -password $gmailPass \
            -recipients $recipient -servers smtp.gmail.com -ports 587
    mime::finalize $token
}
send_simple_message recipient@example.com "Testing" "This is a test message."
