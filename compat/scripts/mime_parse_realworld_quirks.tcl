# Received mail as it really arrives: an mbox From_ line, delimiters with
# trailing blanks, a nested boundary that starts like the outer one,
# upper-case transfer encodings, sloppy base64 and quoted-printable.
package require mime
set raw "From sender@example.org  Sat Oct 20 17:58:49 2007
Return-Path: <sender@example.org>
Subject:no-space-after-colon
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary=\"outer\"

--outer  
Content-Type: multipart/alternative; boundary=\"outer-inner\"

--outer-inner
Content-Type: text/plain; charset=ISO-8859-1
Content-Transfer-Encoding: QUOTED-PRINTABLE

caf=e9 soft=
break and =3d sign=20=20
--outer-inner
Content-Type: text/html
Content-Transfer-Encoding: Base64

PGI+aGk8L2I+
IA==
--outer-inner--
--outer
Content-Type: application/octet-stream
Content-Transfer-Encoding: BASE64

AAEC AwQF
BgcICQ*%oL
DA0O
--outer
Content-Type: text/plain
Content-Transfer-Encoding: x-uuencode

begin 644 a.txt
--outer--
"
if {[catch {mime::initialize -string $raw} t]} { puts "parse error: $t"; exit }
puts [mime::getheader $t -names]
puts [list [mime::getheader $t Subject]]
proc walk {t depth} {
    set pad [string repeat "  " $depth]
    if {![catch {mime::getproperty $t parts} parts]} {
        puts "${pad}[mime::getproperty $t content] [mime::getproperty $t params]"
        foreach p $parts { walk $p [expr {$depth + 1}] }
        return
    }
    puts "${pad}[mime::getproperty $t content] enc=[mime::getproperty $t encoding] size=[mime::getproperty $t size]"
    foreach mode {raw decode} {
        if {$mode eq "raw"} {
            set c [catch {mime::getbody $t} b]
        } else {
            set c [catch {mime::getbody $t -decode} b]
        }
        binary scan [encoding convertto utf-8 $b] H* h; set h [regsub -all {..} $h {& }]
        puts "${pad}  $mode: $c $h"
    }
}
walk $t 0
if {[catch {mime::buildmessage $t} out]} {
    puts "build: $out"
} else {
    puts [string map {\r\n |} $out]
}
mime::finalize $t
