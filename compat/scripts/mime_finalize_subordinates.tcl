# finalize -subordinates all / dynamic / none, and what the part tokens do
# afterwards.
package require mime
proc mk {} {
    set a [mime::initialize -canonical text/plain -string a]
    set b [mime::initialize -canonical text/plain -string b]
    list [mime::initialize -canonical multipart/mixed -parts [list $a $b]] $a $b
}
foreach mode {all dynamic none} {
    lassign [mk] m a b
    set code [catch {mime::finalize $m -subordinates $mode} msg]
    puts "$mode: $code [list $msg]"
    foreach t [list $m $a $b] {
        set c [catch {mime::getproperty $t content} r]
        puts "  [expr {$t eq $m ? "top" : "part"}]: $c [regsub {::mime::[0-9]+} $r TOKEN]"
    }
    catch {mime::finalize $a}
    catch {mime::finalize $b}
}
set raw "Content-Type: multipart/mixed; boundary=x\n\n--x\nContent-Type: text/plain\n\none\n--x--\n"
foreach mode {dynamic none all} {
    set p [mime::initialize -string $raw]
    set kid [lindex [mime::getproperty $p parts] 0]
    mime::finalize $p -subordinates $mode
    set c [catch {mime::getbody $kid} r]
    puts "parsed $mode: $c [regsub -all {::mime::[0-9]+(-[0-9]+)?} $r TOKEN]"
}
puts [catch {mime::finalize ::mime::99999} m]:$m
set t [mime::initialize -canonical text/plain -string z]
puts [catch {mime::finalize $t -subordinates sideways} m]:$m
puts [catch {mime::finalize $t -bogus 1} m]:$m
mime::finalize $t
puts [catch {mime::finalize $t} m]:[regsub {::mime::[0-9]+} $m TOKEN]
