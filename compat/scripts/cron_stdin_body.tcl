# Pipe a command's output into mail: `some_job | tclsh mailit.tcl subject rcpt`.
# compat: args "cron.daily output" root@example.com
# compat: stdin data/cron_output.txt
package require smtp
package require mime
lassign $argv subject rcpt
set body [read stdin]
set tok [mime::initialize -canonical text/plain -string $body]
mime::setheader $tok Subject $subject
smtp::sendmessage $tok -recipients $rcpt -originator root@example.com
mime::finalize $tok
