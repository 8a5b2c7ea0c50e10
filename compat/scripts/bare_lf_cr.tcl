# Bodies with bare LF, CRLF and a bare CR mixed.
package require smtp
package require mime
set body "unix line\nwindows line\r\nold mac line\rend\n\n\nthree blank lines above\n"
set tok [mime::initialize -canonical text/plain -string $body]
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
mime::finalize $tok
