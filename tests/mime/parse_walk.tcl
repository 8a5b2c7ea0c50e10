# Parses each file with mime::initialize (-file, and -string read as bytes
# and as UTF-8) and prints what a script can see of every part. Text goes
# out as hex of its UTF-8 form so that every character is exact.
#
# Used with tclsh + tcllib (the reference) and inside a tclsmtp interpreter;
# tests/mime/test_parser.py renders the Python parser's tree the same way.

package require mime

proc hx {s} { binary encode hex [encoding convertto utf-8 $s] }
proc out {s} { append ::walk_out $s \n }

proc try_out {label script} {
    if {[catch {uplevel 1 $script} result opts]} {
        out "$label-error [hx $result] [dict get $opts -errorcode]"
    } else {
        out "$label [hx $result]"
    }
}

proc walk {token root indent} {
    out "${indent}part [string range $token [string length $root] end]"
    out "${indent}content [hx [mime::getproperty $token content]]"
    out "${indent}encoding [hx [mime::getproperty $token encoding]]"
    foreach {k v} [mime::getproperty $token params] {
        out "${indent}param [hx $k] [hx $v]"
    }
    out "${indent}size [mime::getproperty $token size]"
    out "${indent}version [hx [lindex [mime::getheader $token MIME-Version] 0]]"
    foreach name [mime::getheader $token -names] {
        out "${indent}header [hx $name]"
        foreach value [mime::getheader $token $name] {
            out "${indent}  value [hx $value]"
        }
    }
    if {[catch {mime::getproperty $token parts} parts]} {
        try_out "${indent}body" {mime::getbody $token}
        try_out "${indent}body100" {mime::getbody $token -blocksize 100}
        try_out "${indent}decoded" {mime::getbody $token -decode}
    } else {
        out "${indent}parts [llength $parts]"
        try_out "${indent}leafbody" {mime::getbody $token}
        foreach part $parts {
            walk $part $root "$indent  "
        }
    }
}

proc walk_files {files} {
    set ::walk_out {}
    foreach path $files {
        foreach mode {file bytes utf8} {
            out "== [file tail $path] $mode"
            switch -- $mode {
                file {
                    set args [list -file $path]
                }
                bytes {
                    set f [open $path rb]
                    set args [list -string [read $f]]
                    close $f
                }
                utf8 {
                    set f [open $path r]
                    fconfigure $f -translation lf -encoding utf-8
                    set args [list -string [read $f]]
                    close $f
                }
            }
            if {[catch {mime::initialize {*}$args} token opts]} {
                out "init-error [hx $token] [dict get $opts -errorcode]"
                continue
            }
            walk $token $token ""
            mime::finalize $token
        }
    }
    return $::walk_out
}

if {[info exists argv] && [llength $argv]} {
    puts -nonewline [walk_files $argv]
}
