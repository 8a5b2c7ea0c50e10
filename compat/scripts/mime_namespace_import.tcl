# Older scripts (and tcllib's own tests) import the mime commands and call
# them unqualified; others check versions or list the commands.
package require mime 1.4
package require smtp 1.4
namespace import mime::*
set tok [initialize -canonical Text/Plain -string "imported\n"]
setheader $tok Subject "via import"
puts [getheader $tok Subject]
puts [getproperty $tok content]
puts [getbody $tok]
finalize $tok
puts [lsort [namespace eval ::mime {namespace export}]]
puts [lsort [namespace eval ::smtp {namespace export}]]
