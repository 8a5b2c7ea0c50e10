# Where the envelope comes from: Bcc only, -recipients beside To headers,
# From/Sender/-originator combinations, an empty To.
package require smtp
package require mime
proc send {label args} {
    set tok [mime::initialize -canonical text/plain -string "$label\n"]
    mime::setheader $tok Subject $label
    set code [catch {smtp::sendmessage $tok -servers localhost {*}$args} res]
    puts "$label: $code [list $res]"
    mime::finalize $tok
}
send bcc-only -header {Bcc "hidden1@example.com, hidden2@example.com"} -originator o@example.com
send recipients-and-to -recipients env@example.com -header {To "shown@example.com"} -originator o@example.com
send from-only -header {From "Writer <writer@example.com>"} -header {To t@example.com}
send sender-and-from -header {From "a@example.com, b@example.com"} -header {Sender "s@example.com"} -header {To t@example.com}
send originator-and-from -originator bounce@example.com -header {From "Writer <writer@example.com>"} -header {To t@example.com}
send empty-to -header {To ""} -recipients r@example.com -originator o@example.com
send resent-sender -header {Resent-Sender "rs@example.com"} -header {Resent-From "rf@example.com"} -header {Resent-To "rt@example.com"}
send cc-only -header {Cc "c1@example.com"} -originator o@example.com
