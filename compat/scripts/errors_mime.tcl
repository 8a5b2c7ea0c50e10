# Errors a script may catch from the mime commands.
package require mime
proc try_it {script} {
    set code [catch {uplevel #0 $script} msg]
    puts "[list $script] -> $code: $msg"
    puts "    errorCode: $::errorCode"
}
set t [mime::initialize -canonical text/plain -string hi]
try_it {mime::initialize}
try_it {mime::initialize -canonical text/plain}
try_it {mime::initialize -canonical text/plain -string a -file b}
try_it {mime::initialize -canonical text/plain -encoding rot13 -string a}
try_it {mime::initialize -file /nonexistent/file.eml}
try_it {mime::initialize -canonical multipart/mixed -string abc}
try_it {mime::initialize -bogus 1}
try_it {mime::getheader $t X-Missing}
try_it {mime::getproperty $t nosuch}
try_it {mime::setheader $t Content-Type text/html}
try_it {mime::setheader $t X-A b -mode sideways}
try_it {mime::getbody $t -bogus}
try_it {mime::getheader ::mime::9999 Subject}
try_it {mime::parsedatetime "not a date" clock}
try_it {mime::parsedatetime -now nosuch}
try_it {mime::word_encode utf-8 rot13 x}
try_it {mime::word_encode nosuch-charset base64 x}
try_it {mime::qp_decode}
mime::finalize $t
try_it {mime::getproperty $t content}
