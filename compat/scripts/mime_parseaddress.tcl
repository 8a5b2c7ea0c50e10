# Pure mime: mime::parseaddress on addresses seen in the wild.
package require mime
foreach addr {
    "user@example.com"
    "John Doe <john@example.com>"
    "\"Doe, John\" <john.doe@example.com>"
    "john@example.com (John Doe)"
    "a@example.com, B <b@example.com>, c@example.com"
    "Group: a@example.com, b@example.com;"
    "<@relay.example.com:user@example.com>"
    "root"
    "bad@@example.com"
    "unterminated <x@example.com"
    ""
} {
    puts "== $addr"
    foreach result [mime::parseaddress $addr] {
        foreach key [lsort [dict keys $result]] {
            puts "  $key: [dict get $result $key]"
        }
        puts "  --"
    }
}
