# Previewing a message by copying it to stdout (as scripts do before
# sending), with stdout in its default mode and in crlf and binary modes.
package require mime
set a [mime::initialize -canonical text/plain -param {charset iso-8859-1} \
    -encoding quoted-printable -string "Gr\xfc\xdfe, caf\xe9\n"]
set b [mime::initialize -canonical application/octet-stream -encoding base64 \
    -string [binary format c* {0 1 2 3 250 251 252}]]
set m [mime::initialize -canonical multipart/mixed -param {boundary PREVIEW} -parts [list $a $b]]
mime::setheader $m Subject "preview"
mime::copymessage $m stdout
puts "--- crlf"
fconfigure stdout -translation crlf
mime::copymessage $a stdout
fconfigure stdout -translation lf
puts "--- binary"
fconfigure stdout -translation binary
mime::copymessage $b stdout
puts ""
mime::finalize $m -subordinates all
