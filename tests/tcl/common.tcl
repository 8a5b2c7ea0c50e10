# Shared by every .test file: tcltest, and the constraints that tell tcllib
# (plain tclsh) from tclsmtp (tclsmtp run). Each file runs under both; a test
# that passes under both shows tclsmtp matches tcllib there.
package require tcltest 2
namespace import ::tcltest::*
tcltest::configure {*}$argv
testConstraint tclsmtp [expr {[info commands ::tclsmtp::invoke] ne ""}]
testConstraint tcllib [expr {![testConstraint tclsmtp]}]
package require mime
package require smtp

# Message text with CRLF shown as \n, for readable expectations.
proc lf {text} { string map [list \r\n \n] $text }
