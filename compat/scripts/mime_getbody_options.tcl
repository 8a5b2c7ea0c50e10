# Pure mime: getbody with -decode, -blocksize and a -command callback.
package require mime
set tok [mime::initialize -canonical text/plain -param {charset utf-8} \
    -encoding base64 -string [encoding convertto utf-8 "Grüße, [string repeat 0123456789 5]\n"]]
puts [mime::getbody $tok]
puts [mime::getbody $tok -decode]
set chunks {}
proc collect {args} {
    global chunks
    lappend chunks $args
}
mime::getbody $tok -command collect -blocksize 16
puts [llength $chunks]
foreach c $chunks { puts $c }
mime::finalize $tok
