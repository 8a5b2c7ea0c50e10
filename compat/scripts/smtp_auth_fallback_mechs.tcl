# The server offers several mechanisms; the password is wrong for all: which
# mechanisms are tried, in which order, and what the script gets back.
# compat: auth CRAM-MD5 LOGIN PLAIN
# compat: user alice right
package require smtp
package require mime
foreach pw {wrong right} {
    set tok [mime::initialize -canonical text/plain -string "auth $pw\n"]
    set code [catch {smtp::sendmessage $tok -originator alice@example.com \
        -recipients b@example.com -servers localhost -username alice -password $pw} res]
    puts "$pw: code=$code res=[list $res]"
    mime::finalize $tok
}
