# compat: difference "8-bit `-file` bodies are sent as their bytes."
# Forwarding a saved message as it is: parsed from a file (-file, not
# canonical) whose body is 8-bit Latin-1 and whose attachment is raw UTF-8.
package require smtp
package require mime
set fd [file tempfile path]
fconfigure $fd -translation binary
puts -nonewline $fd "From: sender@example.org\nSubject: saved 8bit\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"S8\"\n\n--S8\nContent-Type: text/plain; charset=iso-8859-1\nContent-Transfer-Encoding: 8bit\n\nGr\xfc\xdfe aus K\xf6ln\n--S8\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\n\xe2\x82\xac 12,50 \xe2\x80\x94 ok\n--S8--\n"
close $fd
set tok [mime::initialize -file $path]
smtp::sendmessage $tok -originator fwd@example.com -recipients archive@example.com -servers localhost
set text [mime::initialize -file $path]
set plain [lindex [mime::getproperty $text parts] 0]
smtp::sendmessage $plain -originator fwd@example.com -recipients archive@example.com -servers localhost
file delete $path
puts sent
