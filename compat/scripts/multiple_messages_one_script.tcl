# A script that sends three different messages, with -queue and -maxsecs
# set as old scripts often do.
package require smtp
package require mime
foreach {subject body} {
    "first" "one\n"
    "second" "two\n"
    "third" "three\n"
} {
    set tok [mime::initialize -canonical text/plain -string $body]
    mime::setheader $tok Subject $subject
    smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
        -servers localhost -queue 0 -maxsecs 30
    mime::finalize $tok
}
puts "three sent"
