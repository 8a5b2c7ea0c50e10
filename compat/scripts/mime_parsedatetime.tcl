# Pure mime: mime::parsedatetime on fixed dates (no -now, so no run-time values).
package require mime
foreach date {
    "Mon, 2 Nov 2026 09:14:55 +0100"
    "Tue, 29 Feb 2000 23:59:59 -0500"
    "1 Jan 2001 00:00:00 GMT"
    "Fri, 13 Sep 2024 12:00:00 +0000"
} {
    puts "== $date"
    # (not rclock: the seconds from the date until now change every run)
    foreach prop {clock year month mday hour minute second zone wday yday proper} {
        if {[catch {mime::parsedatetime $date $prop} value]} {
            puts "  $prop: error: $value"
        } else {
            puts "  $prop: $value"
        }
    }
}
