# quoted-printable: long lines, trailing white space, '=' and 8-bit text.
package require smtp
package require mime
set long [string repeat "abcdefghij" 12]
set body "$long\ntrailing spaces   \ntrailing tab\t\nequals = sign\nutf-8: [encoding convertto utf-8 "Grüße aus Köln"]\n"
set tok [mime::initialize -canonical text/plain -param {charset utf-8} \
    -encoding quoted-printable -string $body]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
mime::finalize $tok
