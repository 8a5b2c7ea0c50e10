# A report mailer's message: multipart/mixed holding a multipart/alternative
# (plain + HTML, each with its charset) and a CSV attachment, with extra
# headers given to initialize at several levels.
package require mime
set plain [mime::initialize -canonical text/plain -param {charset us-ascii} \
    -param {format flowed} -string "Totals: 42 jobs, 3 failed.\n"]
set html [mime::initialize -canonical text/html -param {charset iso-8859-1} \
    -encoding quoted-printable \
    -string "<html><body><p>Totals: <b>42</b> jobs, 3 failed. Caf\xe9 open.</p></body></html>\n"]
set alt [mime::initialize -canonical multipart/alternative -parts [list $plain $html] \
    -header {X-Part-Role body}]
set csv [mime::initialize -canonical text/csv -param {name jobs.csv} \
    -header {Content-Disposition {attachment; filename="jobs.csv"}} \
    -header {Content-Description {job list}} \
    -string "id,state\n1,ok\n2,failed\n"]
set top [mime::initialize -canonical multipart/mixed -parts [list $alt $csv] \
    -header {Subject {Nightly jobs}} -header {X-Mailer {report.tcl 2.1}} \
    -param {boundary {=_outer_=}}]
puts [string map {\r\n \n} [mime::buildmessage $top]]
puts [mime::getproperty $top content]
puts [mime::getproperty $alt params]
foreach p [mime::getproperty $alt parts] {
    puts "[mime::getproperty $p content] [mime::getproperty $p encoding] [mime::getheader $p -names]"
}
mime::finalize $top -subordinates all
