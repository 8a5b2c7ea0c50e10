# Re-sending with several Resent-To and Resent-Cc headers and a fixed
# Resent-Date.
package require smtp
package require mime
set raw "From: Carol <carol@example.org>\nTo: desk@example.com\nSubject: printer on fire\nDate: Mon, 02 Mar 2026 09:15:00 +0100\nMessage-ID: <abc123@example.org>\n\nIt is smoking.\n"
set tok [mime::initialize -string $raw]
set r [smtp::sendmessage $tok -servers localhost \
    -header {Resent-From "Helpdesk <helpdesk@example.com>"} \
    -header {Resent-To "ops@example.com, facilities@example.com"} \
    -header {Resent-To "boss@example.com"} \
    -header {Resent-Cc "log@example.com"} \
    -header {Resent-Date "Mon, 02 Mar 2026 09:20:00 +0100"}]
puts "returned: [list $r]"
mime::finalize $tok
