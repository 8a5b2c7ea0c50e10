# Pure mime: build messages and print them with buildmessage and copymessage.
package require mime
set a [mime::initialize -canonical text/plain -string "part one\n"]
set b [mime::initialize -canonical text/plain -param {charset iso-8859-1} \
    -encoding quoted-printable -string "caf\xe9 cr\xe8me\n"]
set m [mime::initialize -canonical multipart/mixed -parts [list $a $b] \
    -header {Subject "built"} -header {X-Test yes}]
puts [mime::buildmessage $m]
puts "---- copymessage ----"
mime::copymessage $m stdout
puts "\n---- headers ----"
foreach name [mime::getheader $m -names] { puts "$name: [mime::getheader $m $name]" }
puts "encoding of a: [mime::getproperty $a encoding]"
mime::setheader $m X-Test no -mode append
puts [mime::getheader $m X-Test]
mime::setheader $m X-Test "" -mode delete
puts [mime::getheader $m -names]
mime::finalize $m -subordinates all
