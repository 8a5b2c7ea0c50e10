# copymessage to a channel that was already closed (a log file rotated by
# another proc); the script does not catch it.
package require mime
set t [mime::initialize -canonical text/plain -string "log line\n"]
set log [file tempfile path]
close $log
file delete $path
puts "writing the message"
mime::copymessage $t $log
