# mime::getsize: tcllib's unexported helper behind `getproperty size`, which
# scripts call directly: leaves, multiparts, parsed base64, errors.
package require mime
set t [mime::initialize -canonical text/plain -string "hello world"]
set p [mime::initialize -canonical multipart/mixed -parts [list $t]]
puts [mime::getsize $t]
puts [mime::getsize $p]
set f [mime::initialize -string "Content-Type: text/plain\nContent-Transfer-Encoding: base64\n\naGVsbG8gd29ybGQ=\n"]
puts [mime::getsize $f]:[mime::getproperty $f size]
puts [catch {mime::getsize ::mime::nosuch} m]:$m:$::errorCode
puts [catch {mime::getsize} m]:$m
mime::finalize $p -subordinates all
puts [catch {mime::getsize $t} m]:$m
