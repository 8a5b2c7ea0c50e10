# Building message/rfc822 around a built part and around a parsed one;
# qp_encode's encoded-word mode; uniqueID's shape.
package require mime
set inner [mime::initialize -canonical text/plain -string "inner text\n"]
mime::setheader $inner Subject "inner subject"
mime::setheader $inner From "x@example.com"
set wrap [mime::initialize -canonical message/rfc822 -parts [list $inner] -header {Content-Description forwarded}]
puts [regsub -all {<[0-9]+\.[0-9]+\.[0-9]+@[^>]*>} [string map {\r\n \n} [mime::buildmessage $wrap]] <ID>]
puts [mime::getproperty $wrap]
set parsed [mime::initialize -string "From: p@example.com\nSubject: parsed\n\nparsed body\n"]
set wrap2 [mime::initialize -canonical message/rfc822 -parts [list $parsed]]
puts [regsub -all {<[0-9]+\.[0-9]+\.[0-9]+@[^>]*>} [string map {\r\n \n} [mime::buildmessage $wrap2]] <ID>]
foreach s [list "a b_c=d?e" "\u00e9t\u00e9 ok" "tab\there"] {
    puts "[list $s] -> [list [mime::qp_encode $s 1]] / [list [mime::qp_encode $s 1 1]]"
}
puts [regexp {^<[0-9]+\.[0-9]+\.[0-9]+@[^>]+>$} [mime::uniqueID]]
puts [catch {mime::initialize -canonical message/rfc822 -parts {}} m]:$m
puts [catch {mime::initialize -canonical multipart/mixed -parts [list ::mime::nosuch]} m]:$m
mime::finalize $wrap -subordinates all
mime::finalize $wrap2 -subordinates all
