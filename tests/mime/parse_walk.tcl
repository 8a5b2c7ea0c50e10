# Parses each file with mime::initialize (-file, and -string read as bytes
# and as UTF-8) and prints what a script can see of every part; walk_ends
# (below) also with LF and CRLF line ends, and builds and re-parses. Text goes
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

# The CRLF mode (tests/mime/test_parser_crlf.py): each file with its line
# ends made LF and made CRLF (written into the directory work), parsed with
# -file and with -string (its bytes), walked, then built (buildmessage); the
# built message is parsed again (-string), walked and built again: the round
# trip. Generated Content-IDs and boundaries in built messages are masked
# (they differ per process).

proc with_ends {data ends} {
    set data [string map [list \r\n \n] $data]
    if {$ends eq "crlf"} {
        set data [string map [list \n \r\n] $data]
    }
    return $data
}

proc masked {s} {
    regsub -all -- {<[0-9]+\.[0-9]+\.[0-9]+@[^>]*>} $s {<ID>} s
    regsub -all -- {----- =_[A-Za-z0-9+/=]+} $s {----- =_BOUNDARY} s
    return $s
}

# Prints buildmessage's result (or error); returns it as a one-element list,
# or an empty list when it failed.
proc build_out {label token} {
    if {[catch {mime::buildmessage $token} built opts]} {
        out "$label-error [hx $built] [dict get $opts -errorcode]"
        return {}
    }
    out "$label [hx [masked $built]]"
    return [list $built]
}

proc walk_ends {files work} {
    set ::walk_out {}
    foreach path $files {
        set f [open $path rb]
        set data [read $f]
        close $f
        foreach ends {lf crlf} {
            set text [with_ends $data $ends]
            set converted [file join $work [file rootname [file tail $path]].$ends.eml]
            set f [open $converted wb]
            puts -nonewline $f $text
            close $f
            foreach mode {file string} {
                out "== [file tail $path] $ends $mode"
                if {$mode eq "file"} {
                    set args [list -file $converted]
                } else {
                    set args [list -string $text]
                }
                if {[catch {mime::initialize {*}$args} token opts]} {
                    out "init-error [hx $token] [dict get $opts -errorcode]"
                    continue
                }
                walk $token $token ""
                set built [build_out build $token]
                mime::finalize $token
                if {![llength $built]} {
                    continue
                }
                out "-- reparsed"
                if {[catch {mime::initialize -string [lindex $built 0]} again opts]} {
                    out "init-error [hx $again] [dict get $opts -errorcode]"
                    continue
                }
                walk $again $again ""
                build_out rebuild $again
                mime::finalize $again
            }
        }
    }
    return $::walk_out
}

# tclsh parse_walk.tcl FILE...             walk_files
# tclsh parse_walk.tcl -ends WORKDIR FILE...  walk_ends
if {[info exists argv] && [llength $argv]} {
    if {[lindex $argv 0] eq "-ends"} {
        puts -nonewline [walk_ends [lrange $argv 2 end] [lindex $argv 1]]
    } else {
        puts -nonewline [walk_files $argv]
    }
}
