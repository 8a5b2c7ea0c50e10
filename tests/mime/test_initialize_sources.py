"""mime::initialize given -string together with -file or -parts, without
-canonical, against tcllib 2.0: tcllib's check for "exactly one" source
lets anything through once -string is given; then -parts is refused and a
-file is parsed (its headers, and its parts; a leaf keeps -string's value as
its body, since its state(value) stays "string")."""
from __future__ import annotations

from pathlib import Path

SETUP = """
set ::dir {%s}
set f [open $::dir/plain.txt wb]; puts -nonewline $f "just text, no header\\n"; close $f
set f [open $::dir/msg.eml wb]; puts -nonewline $f "Subject: from file\\nX-A: 1\\n\\nfile body\\n"; close $f
set f [open $::dir/mp.eml wb]
puts -nonewline $f "Subject: mp\\nContent-Type: multipart/mixed; boundary=B\\n\\n--B\\n\\none\\n--B\\n\\ntwo\\n--B--\\n"
close $f
set f [open $::dir/rfc822.eml wb]
puts -nonewline $f "Subject: outer\\nContent-Type: message/rfc822\\n\\nSubject: inner\\n\\ninner body\\n"
close $f
set ::str "Subject: from string\\n\\nstring body\\n"
"""

CASES = [
    ("file_not_headers", "mime::initialize -string $::str -file $::dir/plain.txt"),
    ("file_not_headers_first", "mime::initialize -file $::dir/plain.txt -string $::str"),
    ("file_leaf", "set ::a [mime::initialize -string $::str -file $::dir/msg.eml]"),
    ("file_leaf_headers", "mime::getheader $::a"),
    ("file_leaf_props", "mime::getproperty $::a"),
    ("file_leaf_body", "mime::getbody $::a"),
    ("file_leaf_build", "mime::buildmessage $::a"),
    ("file_mp", "set ::b [mime::initialize -string $::str -file $::dir/mp.eml]"),
    ("file_mp_parts", "llength [mime::getproperty $::b parts]"),
    ("file_mp_bodies", "lmap p [mime::getproperty $::b parts] {mime::getbody $p}"),
    ("file_mp_build", "mime::buildmessage $::b"),
    ("file_rfc822", "set ::c [mime::initialize -string $::str -file $::dir/rfc822.eml]"),
    ("file_rfc822_inner", "mime::getheader [lindex [mime::getproperty $::c parts] 0] Subject"),
    ("file_rfc822_build", "mime::buildmessage $::c"),
    ("file_missing", "mime::initialize -string $::str -file $::dir/nonexistent.eml"),
    ("parts_after", "mime::initialize -string $::str -parts {}"),
    ("parts_before", "mime::initialize -parts {} -string $::str"),
    ("parts_and_file", "mime::initialize -string $::str -parts {} -file $::dir/msg.eml"),
    ("file_and_parts", "mime::initialize -file $::dir/msg.eml -parts {}"),
    ("string_twice", "mime::getbody [mime::initialize -string \"X: 1\\n\\na\" -string \"Y: 2\\n\\nb\"]"),
]


def test_string_with_file_or_parts_as_tcllib(compare, tmp_path: Path):
    assert compare(CASES, SETUP % tmp_path) == []
