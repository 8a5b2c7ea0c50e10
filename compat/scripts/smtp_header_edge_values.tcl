# Header values scripts pass that are long, non-ASCII, or repeat headers the
# token already has.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "edge headers\n"]
mime::setheader $tok Subject "set on the token"
mime::setheader $tok X-Long [string repeat "word " 40]
mime::setheader $tok Keywords "alpha"
mime::setheader $tok Keywords "beta" -mode append
smtp::sendmessage $tok -servers localhost -originator a@example.com \
    -header {subject "given as -header too"} \
    -header [list X-Raw-Latin1 "caf\xe9"] \
    -header [list Reply-To "Replies <replies@example.com>"] \
    -header [list To "\"Last, First\" <first.last@example.com>"] \
    -header [list Comments "a (nested (comment)) here"]
mime::finalize $tok
