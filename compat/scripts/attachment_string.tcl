# A CSV attachment built in the script as a string, plus an explicit
# Content-Description; the outer part is multipart/mixed.
package require smtp
package require mime
set csv "id,name,amount\n"
foreach {id name amount} {1 Widget 9.99 2 "Gadget, large" 129.00 3 Gizmo 0.50} {
    append csv "$id,\"$name\",$amount\n"
}
set body [mime::initialize -canonical text/plain -string "Today's orders are attached.\n"]
set att [mime::initialize -canonical text/csv -param {name orders.csv} \
    -header {Content-Disposition "attachment; filename=orders.csv"} \
    -header {Content-Description "Orders of the day"} \
    -string $csv]
set msg [mime::initialize -canonical multipart/mixed -parts [list $body $att]]
smtp::sendmessage $msg -originator shop@example.com -recipients accounting@example.com \
    -header {Subject "Orders"} -header {To accounting@example.com}
foreach part [list $msg $body $att] { mime::finalize $part }
