# tclsmtp's packages. They need the Python side (::tclsmtp::invoke); without
# it, stay out of the way so tcllib's packages load as usual.
if {[info commands ::tclsmtp::invoke] eq ""} {return}
package ifneeded mime 1.7.2 [list source [file join $dir mime.tcl]]
package ifneeded smtp 1.5.2 [list source [file join $dir smtp.tcl]]
