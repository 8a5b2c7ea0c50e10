# Option lists written wrongly: odd -param/-header lists, reserved headers
# via -header, options in odd places, a closed channel for copymessage.
package require mime
proc try_it {script} {
    set code [catch {uplevel #0 $script} msg]
    if {[string match ::mime::* $msg]} { set msg TOKEN }
    puts "[list $script] -> $code: [list $msg]"
    if {$code} { puts "    errorCode: $::errorCode" }
}
try_it {mime::initialize -canonical text/plain -param {charset} -string x}
try_it {mime::initialize -canonical text/plain -param {a b c} -string x}
try_it {mime::initialize -canonical text/plain -header {X-Only} -string x}
try_it {mime::initialize -canonical text/plain -header {Content-Type text/html} -string x}
try_it {mime::initialize -canonical text/plain -header {Content-Transfer-Encoding base64} -string x}
try_it {mime::initialize -canonical text/plain -header {MIME-Version 2.0} -string x}
try_it {mime::initialize -canonical text/plain -header {content-id <mine@x>} -string x}
try_it {mime::initialize -canonical text/plain -string x -canonical text/html}
try_it {mime::initialize -string "Subject: x\n\nbody" -encoding base64}
try_it {mime::initialize -string "Subject: x\n\nbody" -param {charset utf-8}}
try_it {mime::initialize -canonical "" -string x}
try_it {mime::initialize -canonical noslash -string x}
try_it {mime::initialize -canonical text/plain -string}
set t [mime::initialize -canonical text/plain -header {X-Keep yes} -string x]
try_it {mime::setheader $t X-A a -mode}
try_it {mime::setheader $t X-A}
try_it {mime::getheader $t content-type}
try_it {mime::getheader $t CONTENT-ID}
try_it {mime::getheader $t x-keep}
try_it {mime::getbody $t -decode -decode}
try_it {mime::getbody $t -command}
set m [mime::initialize -canonical multipart/mixed -param {boundary q} -parts [list $t]]
try_it {mime::getbody $m}
try_it {mime::getproperty $m params}
try_it {mime::getheader $m Content-Type}
set fd [file tempfile path]
close $fd
try_it {mime::copymessage $t $fd}
set ro [open $path r]
try_it {mime::copymessage $t $ro}
close $ro
file delete $path
try_it {mime::copymessage $t stdin}
try_it {mime::buildmessage $t extra}
try_it {mime::getproperty}
try_it {mime::getheader}
try_it {mime::parseaddress}
try_it {mime::parsedatetime onlyone}
try_it {mime::word_decode}
try_it {mime::field_decode a b}
