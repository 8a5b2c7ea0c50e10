# A self-test some mail tools ship: tcllib's smtpd package serves in the same
# process, smtp::sendmessage delivers to it, and the -deliverMIME callback
# inspects the parsed message with the mime commands.
# compat: redirect no
package require smtpd
package require smtp
package require mime
logger::setlevel critical
proc deliver_mime {token} {
    puts "delivered: [mime::getproperty $token content]"
    foreach h {From To Subject X-Test} {
        if {![catch {mime::getheader $token $h} v]} { puts "  $h: $v" }
    }
    if {[catch {mime::getproperty $token parts} parts]} {
        puts "  body: [list [mime::getbody $token]] decoded: [list [mime::getbody $token -decode]]"
    } else {
        foreach p $parts {
            puts "  part [mime::getproperty $p content]: [list [mime::getbody $p -decode]]"
        }
    }
}
proc validate_recipient {address} {
    eval array set addr [mime::parseaddress $address]
    if {[string match "nobody" $addr(local)]} { error "mailbox $addr(local) unknown" }
}
set sock [socket -server {apply {{args} {}}} -myaddr 127.0.0.1 0]
set port [lindex [fconfigure $sock -sockname] 2]
close $sock
smtpd::configure -deliverMIME deliver_mime -validate_recipient validate_recipient
smtpd::start 127.0.0.1 $port
# (a single part: smtpd's own mime 1.7.0 cannot parse the doubled boundary=
# line its multiparts carry)
set msg [mime::initialize -canonical text/plain -param {charset iso-8859-1} \
    -encoding quoted-printable -string "self test caf\xe9\n"]
set res [smtp::sendmessage $msg -servers 127.0.0.1 -ports $port \
    -originator tester@example.com -recipients "me@example.com, nobody@example.com" \
    -atleastone 1 -header {Subject "smtpd self test"} -header {X-Test yes}]
puts "refused: [list $res]"
set single [mime::initialize -canonical text/plain -string "plain one\n"]
smtp::sendmessage $single -servers 127.0.0.1 -ports $port -originator t@example.com -recipients me@example.com
smtpd::stop
mime::finalize $msg
mime::finalize $single
