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
