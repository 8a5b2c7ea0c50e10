# A notifier that parses a whole message text once and sends it to each
# receiver with its own To header (the token is used for every send).
# compat: difference "The caller's token comes back unchanged."
package require smtp
package require mime
set corpus "From: tickets@example.com\nSubject: Ticket #93 updated\nX-Ticket: 93\n\nStatus changed to resolved.\n"
set token [mime::initialize -string $corpus]
foreach dst {alice@example.com bob@example.com} {
    set res [smtp::sendmessage $token -header [list To $dst] -servers localhost]
    foreach item $res { puts "    ERR $item" }
    puts "    To: $dst sent"
}
puts [mime::getheader $token -names]
mime::finalize $token
