# Old scripts that speak SMTP themselves and let mime::copymessage write the
# message into the socket (translation crlf), a multipart included.
# compat: args {server} {port}
package require mime
lassign $argv host port
set s [socket $host $port]
fconfigure $s -translation crlf -buffering line
proc cmd {s line} {
    if {$line ne ""} { puts $s $line }
    while {[gets $s reply] >= 0} {
        if {[string index $reply 3] ne "-"} break
    }
    puts "[expr {$line eq "" ? "(greeting)" : [lindex [split $line :] 0]}] -> [string range $reply 0 2]"
}
cmd $s ""
cmd $s "HELO client.example.com"
cmd $s "MAIL FROM:<manual@example.com>"
cmd $s "RCPT TO:<dest@example.com>"
cmd $s "DATA"
set text [mime::initialize -canonical text/plain -string "Hand-made SMTP.\n.leading dot\n"]
set data [mime::initialize -canonical application/octet-stream -encoding base64 -string [string repeat "\x00\xff" 100]]
set msg [mime::initialize -canonical multipart/mixed -parts [list $text $data]]
mime::setheader $msg Subject "manual"
fconfigure $s -buffering full
mime::copymessage $msg $s
puts $s "."
flush $s
fconfigure $s -buffering line
cmd $s ""
cmd $s "QUIT"
close $s
mime::finalize $msg -subordinates all
