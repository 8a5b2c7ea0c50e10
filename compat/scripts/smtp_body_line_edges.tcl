# Bodies at the edges of SMTP: no final newline, a lone CR, a 1200-character
# line, lines that are just a dot, an empty body.
package require smtp
package require mime
foreach {label body} [list \
    nonewline "no newline at the end" \
    lonecr "carriage\rreturn alone\n" \
    longline "[string repeat 0123456789 120]\n" \
    dots ".\n..\n.x\n x\n.\n" \
    empty ""] {
    set tok [mime::initialize -canonical text/plain -string $body]
    mime::setheader $tok Subject $label
    smtp::sendmessage $tok -originator edge@example.com -recipients sink@example.com \
        -servers localhost
    mime::finalize $tok
    puts "sent $label"
}
