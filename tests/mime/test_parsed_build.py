"""buildmessage of a part that has subparts but is not multipart, against
tcllib 2.0: its delimiter lines use the part's boundary parameter, or none
(`--` and `----`). Such a part comes from parsing a -file message/* part
whose inner multipart never closed (it becomes application/octet-stream
keeping its subparts; seen in MimeKit's rfc2060.txt), or from -canonical
with a non-multipart type and -parts."""
from __future__ import annotations

from pathlib import Path

SETUP = """
set ::path {%s}
set f [open $::path wb]
puts -nonewline $f [join {
    "Subject: outer" "Content-Type: multipart/mixed; boundary=\\"XYZ\\"" ""
    "--XYZ" "Content-Type: text/plain" "" "first"
    "--XYZ" "Content-Type: message/rfc822; name=\\"m.eml\\"" ""
    "Subject: inner" "Content-Type: multipart/alternative; boundary=\\"IN\\"" ""
    "--IN" "Content-Type: text/plain" "" "inner text"
    "--IN" "Content-Type: text/html" "" "<p>x</p>" ""} \\r\\n]
close $f
set ::leaf [mime::initialize -canonical text/plain -string leaf]
"""

CASES = [
    ("parse", "set ::t [mime::initialize -file $::path]"),
    ("octet", "set ::o [lindex [mime::getproperty $::t parts] 1]; mime::getproperty $::o content"),
    ("octet_params", "mime::getproperty $::o params"),
    ("octet_parts", "llength [mime::getproperty $::o parts]"),
    ("octet_build", "mime::buildmessage $::o"),
    ("build", "mime::buildmessage $::t"),
    ("reparse", "mime::getproperty [mime::initialize -string [mime::buildmessage $::t]] content"),
    ("canonical_parts", "mime::buildmessage [mime::initialize -canonical application/x-bundle -parts [list $::leaf]]"),
    ("canonical_parts_param", "mime::buildmessage [mime::initialize -canonical application/x-bundle "
                              "-param {boundary given} -parts [list $::leaf]]"),
]


def test_non_multipart_with_subparts_builds_as_tcllib(compare, tmp_path: Path):
    assert compare(CASES, SETUP % (tmp_path / "unclosed.eml")) == []
