# A mail wrapper that logs the Tcl error variables after every attempt,
# success or not (reading them without checking they exist). With tcllib,
# `package require mime` already leaves ::errorCode and ::errorInfo set.
package require mime
package require smtp
proc log_attempt {rc result} {
    global errorCode errorInfo
    puts "rc=$rc result=[list $result] errorCode set: [info exists errorCode] errorInfo set: [info exists errorInfo]"
}
set tok [mime::initialize -canonical text/plain -string "hello\n"]
set rc [catch {mime::getproperty $tok content} res]
log_attempt $rc $res
puts "last errorCode: [lindex $::errorCode 0]"
mime::finalize $tok
