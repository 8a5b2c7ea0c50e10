# getbody -command callbacks that fail or return odd codes (a
# callback that returns -code continue makes tcllib loop forever).
package require mime
set tok [mime::initialize -canonical text/plain -encoding base64 \
    -string [string repeat "abcdefghijklmnopqrstuvwxyz0123456789\n" 20]]
proc failing {phase args} {
    if {$phase eq "data"} { error "callback gave up" {} {MYAPP CALLBACK} }
}
proc breaking {phase args} {
    incr ::calls
    if {$::calls == 2} { return -code break }
}
proc continuing {phase args} {
    incr ::calls
    return -code continue
}
proc returning {phase args} {
    lappend ::phases $phase
    return 7
}
proc custom {phase args} {
    if {$phase eq "data"} { return -code 42 odd }
}
foreach cb {failing returning custom} {
    set ::calls 0
    set ::phases {}
    set code [catch {mime::getbody $tok -command $cb -blocksize 100} msg]
    puts "$cb: code=$code msg=[list $msg] errorCode=$::errorCode calls=$::calls phases=$::phases"
}
set code [catch {mime::getbody $tok -command nosuchproc} msg]
puts "missing proc: $code $msg"
set code [catch {mime::getbody $tok -blocksize abc -command returning} msg]
puts "bad blocksize: $code $msg"
puts [string length [mime::getbody $tok -decode]]
mime::finalize $tok
