# Token names a script prints (some keep them as array keys): numbering after
# parsing, after a Bcc send (tcllib makes tokens of its own), after finalize.
package require smtp
package require mime
set a [mime::initialize -canonical text/plain -string a]
puts "first: $a"
set p [mime::initialize -string "Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\n\ntwo\n--b--\n"]
puts "parsed: $p parts: [mime::getproperty $p parts]"
set b [mime::initialize -canonical text/plain -string b]
puts "after parse: $b"
smtp::sendmessage $a -originator o@example.com -servers localhost \
    -header {To "t@example.com"} -header {Bcc "h@example.com"}
set c [mime::initialize -canonical text/plain -string c]
puts "after bcc send: $c"
mime::finalize $c
set d [mime::initialize -canonical text/plain -string d]
puts "after finalize: $d"
set m [mime::initialize -canonical multipart/mixed -parts [list $b $d]]
puts "multipart: $m [mime::getproperty $m parts]"
