# What a script sees of its interpreter: arguments, script name, encodings,
# channel settings, interactive flag, auto_path-independent facts.
# compat: args one "two words" {}
package require mime
puts "argc=$argc argv=[list $argv]"
puts "argv0 tail=[file tail $argv0] script tail=[file tail [info script]] same=[string equal $argv0 [info script]]"
puts "interactive=$tcl_interactive"
puts "encoding system=[encoding system]"
puts "stdout: [fconfigure stdout -translation] [fconfigure stdout -encoding] [fconfigure stdout -buffering]"
puts "stdin: [fconfigure stdin -translation] [fconfigure stdin -encoding]"
puts "tcl version: [info tclversion] [package present Tcl]"
puts "level: [info level] frame: [info frame]"
puts "namespace: [namespace current] children has mime: [expr {"::mime" in [namespace children ::]}]"
proc bye {code} { puts "leaving with $code"; exit $code }
after 10 {bye 4}
vwait forever
