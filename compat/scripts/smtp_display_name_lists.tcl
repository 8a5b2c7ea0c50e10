# -originator and -recipients with display names, quoted commas and
# comments, as address-book driven scripts pass them.
package require smtp
package require mime
set tok [mime::initialize -canonical text/plain -string "Quarterly figures attached later.\n"]
mime::setheader $tok Subject "Q3 figures"
set rcpts {"Smith, Anna" <anna@example.com>, Bob Jones <bob@example.com>, carl@example.com (Carl), <dora@example.com>}
smtp::sendmessage $tok -originator {"Finance Bot" <finance@example.com>} \
    -recipients $rcpts -servers localhost
mime::finalize $tok
puts sent
