# Parsing header forms seen in received mail: folded lines, repeated
# headers, odd case, RFC 2231 and quoted parameters, comments in
# Content-Type, a missing Content-Type in a part.
package require mime
set raw "Received: from a by b;\n\tMon, 2 Mar 2026 10:00:00 +0000\nReceived: from c by d; Mon, 2 Mar 2026 09:59:00 +0000\nsubject: folded\n  over two lines\nCONTENT-TYPE: Multipart/Mixed (comment) ; BOUNDARY = \"b b\" ; foo=\"a \\\"q\\\" b\"\nX-Empty:\nX-Spaces:    lots   of   space   \n\n--b b\n\nno headers in this part\n--b b\nContent-Type: application/pdf; name*=UTF-8''r%C3%A9sum%C3%A9.pdf\nContent-Disposition: attachment; filename=\"a.pdf\"\n\n%PDF\n--b b\nContent-Type: message/rfc822\n\nFrom: inner@example.com\nSubject: inner\n\ninner body\n--b b--\n"
set t [mime::initialize -string $raw]
puts [mime::getheader $t -names]
foreach h [mime::getheader $t -names] { puts "$h => [list [mime::getheader $t $h]]" }
puts "content=[mime::getproperty $t content] params=[mime::getproperty $t params]"
foreach p [mime::getproperty $t parts] {
    puts "part: [mime::getproperty $p content] [mime::getproperty $p params] enc=[list [mime::getproperty $p encoding]] names=[mime::getheader $p -names]"
    if {![catch {mime::getproperty $p parts} kids]} {
        foreach k $kids {
            puts "   inner: [mime::getproperty $k content] [mime::getheader $k -names] [list [mime::getbody $k]]"
        }
    } else {
        puts "   body: [list [mime::getbody $p]]"
    }
}
puts [string map {\r\n \n} [mime::buildmessage $t]]
mime::finalize $t
