# Non-ASCII header values written raw (no encoded words), as quick scripts
# do: a Subject through setheader, a display name through -header.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "plain ascii body\n"]
mime::setheader $tok Subject "R\u00e9sum\u00e9 \u2013 \u65e5\u672c"
smtp::sendmessage $tok -originator a@example.com -recipients b@example.com \
    -header [list To "J\u00fcrgen <b@example.com>"] -servers localhost
mime::finalize $tok
puts sent
