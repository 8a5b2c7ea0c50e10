# The Date header sendmessage adds in a time zone west of UTC, and
# parsedatetime there and in a zone with a half-hour offset.
# compat: env TZ=America/New_York
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "zone test\n"]
smtp::sendmessage $tok -originator z@example.com -recipients r@example.com -servers localhost
puts "zone of a fixed date: [mime::parsedatetime {Mon, 02 Mar 2026 09:15:00 -0500} zone]"
puts "local view: [mime::parsedatetime {Mon, 02 Mar 2026 09:15:00 +0000} hour]"
set ::env(TZ) Asia/Kolkata
puts "fixed: [mime::parsedatetime {Mon, 02 Mar 2026 09:15:00 +0100} proper] [mime::parsedatetime {Mon, 02 Mar 2026 09:15:00 +0100} hour]"
mime::finalize $tok
