# An HTML report read by mime itself from a file (-file), sent with headers
# given as -header options.
package require smtp
package require mime
set path [file join [file dirname [info script]] data report.html]
set tok [mime::initialize -canonical "text/html; charset=us-ascii" -file $path]
smtp::sendmessage $tok \
    -header [list From "Reports <reports@example.com>"] \
    -header [list To "Sales Team <sales@example.com>"] \
    -header [list Subject "Weekly sales report"] \
    -servers localhost
mime::finalize $tok
