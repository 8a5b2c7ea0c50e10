# -debug 1 while the server refuses some recipients, with -atleastone both
# ways; the returned list is printed.
# compat: refuse nosuch@example.com "550 5.1.1 no such user"
# compat: refuse full@example.com "452 4.2.2 mailbox full"
package require smtp
package require mime
foreach atleastone {0 1} {
    set tok [mime::initialize -canonical text/plain -string "refusal test $atleastone\n"]
    mime::setheader $tok Subject "atleastone=$atleastone"
    set res [smtp::sendmessage $tok -originator me@example.com \
        -recipients "ok@example.com, nosuch@example.com, full@example.com" \
        -atleastone $atleastone -servers localhost -debug 1]
    foreach r $res { puts "refused: [lindex $r 0] code [lindex $r 1] [list [lindex $r 2]]" }
    mime::finalize $tok
}
set tok [mime::initialize -canonical text/plain -string "all refused\n"]
set code [catch {smtp::sendmessage $tok -originator me@example.com \
    -recipients "nosuch@example.com, full@example.com" -servers localhost -debug 1} res]
puts "all refused: $code [list $res]"
mime::finalize $tok
