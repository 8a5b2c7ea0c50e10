"""DATA's transformation (bare LF to CRLF, dot-stuffing, final CRLF), streamed
in chunks, against tcllib's own regsubs run in Tcl."""
from __future__ import annotations

import tkinter

from hypothesis import given, settings, strategies as st

from tclsmtp.smtp.wire import stuff

TCL = tkinter.Tcl()
# tcllib smtp.tcl, wtextaux (no Trf), verbatim
TCL.eval(r'''
proc tcllib_wtext {result} {
    while {[regsub -all -- {([^\r])\n} $result "\\1\r\n" result]} {}
    regsub -all -- {\n\.}      $result "\n.."   result
    if {[string compare [string index $result end] "\n"] != 0} {
        append result "\r\n"
    }
    return $result
}''')


def streamed(chunks: list[bytes]) -> bytes:
    out, previous = b"", None
    for chunk in chunks:
        if chunk:
            out += stuff(chunk, previous)
            previous = chunk[-1]
    return out + (b"" if previous == 10 else b"\r\n")


@settings(max_examples=500, deadline=None)
@given(st.lists(st.binary(max_size=8).map(lambda b: bytes(x % 4 for x in b))
                .map(lambda b: b.translate(bytes.maketrans(b"\x00\x01\x02\x03", b"a.\r\n"))),
                max_size=5))
def test_chunks_transformed_as_tcllib_does(chunks):
    message = b"".join(chunks)
    TCL.setvar("tclsmtp_msg", message.decode("latin-1"))
    expected = TCL.eval("tcllib_wtext $tclsmtp_msg").encode("latin-1")
    assert streamed(chunks) == expected
