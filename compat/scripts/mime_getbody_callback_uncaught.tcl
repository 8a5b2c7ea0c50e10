# A getbody -command callback that fails, with nobody catching: the trace
# shows the script's callback (its proc and line), as with tcllib.
package require mime
set t [mime::initialize -canonical text/plain -string "some text\n"]
proc save_chunk {phase args} {
    if {$phase eq "data"} {
        set n [string length [lindex $args 0]]
        error "disk full after $n bytes"
    }
    error "callback failed in $phase"
}
mime::getbody $t -command save_chunk
