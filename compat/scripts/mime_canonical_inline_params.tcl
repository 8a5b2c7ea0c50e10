# Parameters given inline in -canonical, with -param as well, as upload
# scripts write them; what getproperty and the header show.
package require mime
foreach {canon params} {
    {text/plain; charset="utf-8"; format=flowed} {}
    {application/zip; name="report 2024.zip"} {}
    {TEXT/HTML; Charset=ISO-8859-1} {{charset utf-8}}
    {text/plain} {{charset us-ascii} {charset iso-8859-1}}
    {application/octet-stream; name=data.bin} {{name other.bin}}
    {image/png;name="a;b.png"} {}
} {
    set args [list -canonical $canon -string "x\n"]
    foreach p $params { lappend args -param $p }
    if {[catch {mime::initialize {*}$args} t]} { puts "ERROR $t"; continue }
    puts "== $canon / $params"
    puts "   content=[mime::getproperty $t content] params=[mime::getproperty $t params]"
    puts "   header=[mime::getheader $t Content-Type]"
    puts "   [string map {\r\n |} [regsub {Content-ID: <[^>]*>} [mime::buildmessage $t] {Content-ID: X}]]"
    mime::finalize $t
}
