# A new token per recipient, with a personal To header and greeting.
package require smtp
package require mime
array set people {ann@example.com Ann bob@example.com Bob}
foreach addr [lsort [array names people]] {
    set tok [mime::initialize -canonical text/plain \
        -string "Dear $people($addr),\n\nyour order has shipped.\n"]
    mime::setheader $tok To "$people($addr) <$addr>"
    mime::setheader $tok Subject "Order shipped"
    smtp::sendmessage $tok -originator shop@example.com -recipients $addr -servers localhost
    mime::finalize $tok
}
