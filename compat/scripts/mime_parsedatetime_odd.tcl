# parsedatetime on dates as mailers write them (and mangle them).
package require mime
set ::env(TZ) UTC
foreach date {
    {Tue, 1 Jul 2003 10:52:37 +0200}
    {1 Jul 2003 10:52:37 +0200}
    {Tue, 01 Jul 03 10:52 -0700}
    {Wed, 31 Dec 1969 23:59:59 GMT}
    {Fri, 13 Feb 2009 23:31:30 EST}
    {Mon, 29 Feb 2016 12:00:00 PDT}
    {Sun, 06 Nov 1994 08:49:37 UT}
    {Sun, 06 Nov 1994 08:49:37 Z}
    {Sun, 06 Nov 1994 08:49:37 A}
    {Thu, 01 Jan 2037 00:00:00 +1400}
    {Sat, 28 Nov 2026 25:61:61 +0000}
    {Sat,28 Nov 2026 10:00:00 +0000}
    {  Sat,   28   Nov   2026   10:00:00   +0000  }
    {Sat, 28 nov 2026 10:00:00 +0000 (UTC)}
    {28-Nov-2026 10:00:00}
    {garbage}
    {}
} {
    set out {}
    foreach prop {hour lmonth lweekday mday min month mon sec tzone wday weekday yday year zone clock proper} {
        if {[catch {mime::parsedatetime $date $prop} v]} { set v "ERR: $v" }
        # "now" changes between the two runs: keep only its shape
        if {$date eq ""} { regsub -all {[0-9]+} $v N v }
        lappend out $prop $v
    }
    puts "== [list $date]"
    puts "   $out"
}
puts [catch {mime::parsedatetime {Tue, 1 Jul 2003 10:52:37 +0200} nonsense} m]:$m
puts [catch {mime::parsedatetime -now bogus} m]:$m
