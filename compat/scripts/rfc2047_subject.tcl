# Non-ASCII subject and From name encoded with mime::word_encode.
package require smtp
package require mime
set subject [mime::word_encode utf-8 quoted-printable "Bestellbestätigung Nr. 4711 – Grüße"]
set from "[mime::word_encode utf-8 base64 "Jürgen Müller"] <jm@example.com>"
set tok [mime::initialize -canonical text/plain -param {charset utf-8} \
    -string [encoding convertto utf-8 "Danke für Ihre Bestellung.\n"]]
mime::setheader $tok Subject $subject
mime::setheader $tok From $from
smtp::sendmessage $tok -recipients kunde@example.com -servers localhost
puts $subject
puts $from
mime::finalize $tok
