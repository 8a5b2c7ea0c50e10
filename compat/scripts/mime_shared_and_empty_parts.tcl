# Empty bodies, the same part listed twice, one part in two multiparts, and
# an empty -parts list.
package require mime
set e [mime::initialize -canonical text/plain -string ""]
puts [string map {\r\n |} [regsub -all {Content-ID: <[^>]*>} [mime::buildmessage $e] {Content-ID: X}]]
puts "size [mime::getproperty $e size] body [list [mime::getbody $e]]"
set b64 [mime::initialize -canonical application/octet-stream -encoding base64 -string ""]
puts [string map {\r\n |} [regsub -all {Content-ID: <[^>]*>} [mime::buildmessage $b64] {Content-ID: X}]]
set a [mime::initialize -canonical text/plain -string "shared\n"]
set m1 [mime::initialize -canonical multipart/mixed -param {boundary one} -parts [list $a $a]]
set m2 [mime::initialize -canonical multipart/alternative -param {boundary two} -parts [list $a $e]]
puts [string map {\r\n |} [regsub -all {Content-ID: <[^>]*>} [mime::buildmessage $m1] {Content-ID: X}]]
puts [string map {\r\n |} [regsub -all {Content-ID: <[^>]*>} [mime::buildmessage $m2] {Content-ID: X}]]
puts "empty parts: [catch {mime::initialize -canonical multipart/mixed -param {boundary z} -parts {}} m]"
if {![catch {mime::buildmessage $m} out]} { puts [string map {\r\n |} [regsub -all {Content-ID: <[^>]*>} $out {Content-ID: X}]] } else { puts "build: $out" }
mime::finalize $m1
puts "a after m1 finalized: [catch {mime::getbody $a} r] [list $r]"
