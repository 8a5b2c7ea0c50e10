# Cron notification taking its mail server from the command line, with a
# timestamp in the body (clock format's default format).
# compat: args {server} {port} ops@example.com
package require smtp
package require mime
lassign $argv server port rcpt
set now [clock format [clock seconds]]
set tok [mime::initialize -canonical text/plain \
    -string "Job 'nightly-etl' finished at $now.\nRows loaded: 1048576\n"]
smtp::sendmessage $tok -servers $server -ports $port \
    -originator "etl@example.com" -recipients $rcpt \
    -header [list Subject "nightly-etl OK"] \
    -header [list From "ETL robot <etl@example.com>"] \
    -header [list To $rcpt]
mime::finalize $tok
