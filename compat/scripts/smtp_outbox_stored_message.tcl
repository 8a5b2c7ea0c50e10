# Sending a stored message from an outbox as it is: it already has
# Message-ID, Date, From, To, Cc and Bcc; the envelope comes from them.
package require smtp
package require mime
set raw "Message-ID: <stored-1@example.org>\nDate: Tue, 03 Mar 2026 08:00:00 +0100\nFrom: Stored <stored@example.org>\nTo: to1@example.com, To Two <to2@example.com>\nCc: cc@example.com\nBcc: secret@example.com\nSubject: stored message\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii\n\nResent from the outbox.\n"
set tok [mime::initialize -string $raw]
set res [smtp::sendmessage $tok -servers localhost]
puts "result: [list $res]"
