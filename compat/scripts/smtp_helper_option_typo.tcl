# The Rosetta-Code style helper (gmail-like server and port), with the
# option name mistyped as it is in the wild: the uncaught error and its trace.
package require smtp
package require mime
package require tls
set gmailUser someone
set gmailPass hunter2
proc send_simple_message {recipient subject body} {
    global gmailUser gmailPass
    set token [mime::initialize -canonical text/plain -string $body]
    mime::setheader $token Subject $subject
    smtp::sendmessage $token -userame $gmailUser -password $gmailPass \
            -recipients $recipient -servers smtp.gmail.com -ports 587
    mime::finalize $token
}
send_simple_message recipient@example.com "Testing" "This is a test message."
