# One token, one sendmessage per recipient (tcllib leaves the headers it
# added on the token, so the second and third messages repeat them).
# compat: difference "The caller's token comes back unchanged."
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Your password expires in 3 days.\n"]
mime::setheader $tok Subject "Password expiry"
foreach user {ann@example.com bob@example.com cid@example.com} {
    smtp::sendmessage $tok -recipients $user -originator it@example.com \
        -servers localhost
}
puts [mime::getheader $tok -names]
mime::finalize $tok
