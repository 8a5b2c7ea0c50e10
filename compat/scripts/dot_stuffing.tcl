# Lines that start with a dot, and a line that is only a dot: dot-stuffed
# on the wire, intact at the server.
package require smtp
package require mime
set body ".hidden file\n..two dots\n.\nafter the lone dot\n. space\nlast line\n."
set tok [mime::initialize -canonical text/plain -string $body]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
mime::finalize $tok
