# What the caller's token looks like after sendmessage (tcllib means to
# remove the headers it added, but a typo in its restore code keeps them).
# compat: difference "The caller's token comes back unchanged."
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "check headers\n"]
mime::setheader $tok Subject "before"
puts "before: [mime::getheader $tok -names]"
smtp::sendmessage $tok -originator me@example.com -recipients you@example.com \
    -servers localhost
puts "after: [mime::getheader $tok -names]"
foreach name {From Bcc} {
    if {[catch {mime::getheader $tok $name} value]} {
        puts "$name: error: $value"
    } else {
        puts "$name: [list $value]"
    }
}
mime::finalize $tok
