# Content-Type parameters a script passes unquoted or odd: non-ASCII file
# names, quotes and backslashes, separators, empty and long values; each is
# built, parsed back, and one is sent.
package require smtp
package require mime
foreach {name val} [list name "r\u00e9sum\u00e9.pdf" name {has "quotes" and \back} name {semi;colon=eq} name "" charset "UTF-8" name [string repeat long 30]] {
    set t [mime::initialize -canonical application/pdf -param [list $name $val] -encoding base64 -string "%PDF"]
    puts [string map {\r\n |} [regsub {Content-ID: <[^>]*>} [mime::buildmessage $t] {Content-ID: X}]]
    set p [mime::initialize -string [string map {\r\n \n} [mime::buildmessage $t]]]
    puts "   back: [mime::getproperty $p params]"
    mime::finalize $p
    if {$name eq "name" && $val eq "r\u00e9sum\u00e9.pdf"} {
        smtp::sendmessage $t -originator a@example.com -recipients b@example.com -servers localhost
    }
    mime::finalize $t
}
