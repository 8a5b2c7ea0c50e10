# A getbody -command callback that wants only the start of a body and
# returns -code break. With tcllib the break ends the chunking loop: the
# rest of the body still arrives in one last data call, then end.
package require mime
set tok [mime::initialize -canonical text/plain -string [string repeat "0123456789" 5]]
proc head_only {phase args} {
    lappend ::seen "$phase [string length [lindex $args 0]]"
    if {$phase eq "data" && [llength $::seen] >= 2} { return -code break }
    if {$phase eq "end"} { return "got [llength $::seen] calls" }
}
set ::seen {}
set code [catch {mime::getbody $tok -command head_only -blocksize 12} res]
puts "code=$code result=[list $res]"
puts $::seen
mime::finalize $tok
# A break (or continue) returned for the `end` call is passed on to the
# caller by tcllib: here it ends the script's own foreach loop.
set toks {}
foreach word {first second third} {
    lappend toks [mime::initialize -canonical text/plain -string $word]
}
proc stop_at_second {phase args} {
    if {$phase eq "data"} { set ::last [lindex $args 0] }
    if {$phase eq "end" && $::last eq "second"} { return -code break }
}
set visited {}
foreach tok $toks {
    lappend visited [mime::getproperty $tok content]
    mime::getbody $tok -command stop_at_second
}
puts "visited [llength $visited] parts, last body: $::last"
proc skip_second {phase args} {
    if {$phase eq "data"} { set ::last [lindex $args 0] }
    if {$phase eq "end" && $::last eq "second"} { return -code continue }
    if {$phase eq "end"} { return done }
}
set results {}
foreach tok $toks {
    lappend results [mime::getbody $tok -command skip_second]
}
puts "results: $results"
