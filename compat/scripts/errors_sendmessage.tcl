# Every error a script may catch from smtp::sendmessage's argument checks.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "x\n"]
set cases {
    {-recipients}
    {-bogus 1}
    {-header {To}}
    {-header {Content-Type text/html} -recipients a@example.com}
    {-header {MIME-Version 1.0} -recipients a@example.com}
    {-originator "a@example.com, b@example.com" -recipients c@example.com}
    {-originator "not an address <" -recipients c@example.com}
    {-recipients "ok@example.com, <broken"}
    {-header {From "x@example.com, y@example.com"} -recipients c@example.com}
    {}
    {-header {To a@example.com} -header {Bcc "<bad"}}
    {-atleastone maybe -recipients a@example.com}
}
foreach case $cases {
    set code [catch {smtp::sendmessage $tok {*}$case -servers localhost} msg]
    puts "[list $case] -> $code: $msg"
    puts "    errorCode: $::errorCode"
}
mime::finalize $tok
