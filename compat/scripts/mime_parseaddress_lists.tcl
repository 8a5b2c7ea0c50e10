# Address lists as validation code reads them: `array set` on the first
# result, `dict get` on each, and the error key for bad input.
package require mime
proc summary {text} {
    set out {}
    foreach r [mime::parseaddress $text] {
        array unset a
        array set a $r
        lappend out [list $a(address) $a(proper) $a(local) $a(domain) $a(friendly) \
            $a(phrase) $a(comment) $a(route) $a(group) $a(error)]
    }
    return $out
}
foreach text {
    {Team: ann@example.com, "Bob B." <bob@example.com>;, carl@example.com}
    {undisclosed-recipients:;}
    {Empty Group:;, x@example.com}
    {<@a.example,@b.example:user@c.example>}
    {"quoted local"@example.com}
    {user@[192.0.2.1]}
    {Name (with (nested) comment) <n@example.com> (trailing)}
    {user(comment)@example(another).com}
    {=?UTF-8?Q?J=C3=B6rg?= <joerg@example.de>}
    {a@example.com,,b@example.com}
    {a@example.com; b@example.com}
    {"Smith, J" <j@example.com>, Doe <d@example.com>}
    {missing-domain@}
    {@nolocal.example}
    {<unclosed@example.com}
    {two@at@example.com}
    {"unterminated quote <q@example.com>}
    {Dot.Atom.Name@Sub.Example.COM}
    {   spaced   <  s@example.com  >  }
    {plainword}
} {
    puts "== $text"
    foreach r [summary $text] { puts "   $r" }
}
# the form a mail gateway uses to check a single address
foreach email {ok@example.com {Full Name <fn@example.com>} {"x"@example.com}} {
    array set test [lindex [mime::parseaddress $email] 0]
    puts "$email -> proper=[list $test(proper)] same=[string equal $email $test(proper)]"
}
