# A UTF-8 body sent 8bit with its charset, a Latin-1 encoded-word subject,
# and a From with an encoded display name.
package require smtp
package require mime
set body [encoding convertto utf-8 "Gr\u00fc\u00dfe aus K\u00f6ln \u2014 \u20ac 12,50\n"]
set tok [mime::initialize -canonical text/plain -param {charset UTF-8} -encoding 8bit -string $body]
mime::setheader $tok Subject [mime::word_encode iso8859-1 quoted-printable "Gr\u00fc\u00dfe"]
mime::setheader $tok From "[mime::word_encode utf-8 base64 "J\u00fcrgen M\u00fcller"] <jm@example.de>"
smtp::sendmessage $tok -recipients anna@example.de -servers localhost
mime::finalize $tok
