# mapencoding for every Tcl encoding this tclsh knows, and reversemapencoding
# for charset names found in mail headers (in odd cases).
package require mime
foreach e [lsort [encoding names]] {
    puts "map [list $e] -> [list [mime::mapencoding $e]]"
}
foreach cs {us-ascii US-ASCII utf-8 UTF8 utf8 iso-8859-1 ISO_8859-1 latin1 iso-8859-15
    windows-1252 cp1252 CP1251 koi8-r KOI8-U shift_jis Shift_JIS sjis x-sjis euc-jp EUC-KR
    iso-2022-jp ISO-2022-JP gb2312 GBK gb18030 big5 Big5-HKSCS utf-16 UTF-16LE ucs-2
    macintosh x-mac-roman ibm437 cp850 IBM850 tis-620 iso-8859-11 ascii ANSI_X3.4-1968
    unicode-1-1-utf-7 x-unknown "" "utf-8 " " iso-8859-1"} {
    puts "reverse [list $cs] -> [list [mime::reversemapencoding $cs]]"
}
