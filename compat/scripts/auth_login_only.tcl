# Only LOGIN offered, with -debug 1 to show the exchange.
# compat: difference "does not print credentials"
# compat: auth LOGIN
# compat: user bob "pass word"
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "login only\n"]
smtp::sendmessage $tok -originator bob@example.com -recipients alice@example.com \
    -servers localhost -username bob -password "pass word" -debug 1
mime::finalize $tok
