"""Output (buildmessage, copymessage, getbody) of -file, -string and parsed
parts compared with tcllib on the same files, in one tclsh run per test."""
from __future__ import annotations

import base64
import random

import pytest


@pytest.fixture
def files(tmp_path):
    rnd = random.Random(1234)
    (tmp_path / "random.bin").write_bytes(bytes(rnd.getrandbits(8) for _ in range(100_000)))
    (tmp_path / "short.txt").write_bytes(b"line one\nline two\n\nlast line\n")
    (tmp_path / "long.txt").write_bytes(b"".join(
        b"%d %s\n" % (i, b"word=x " * rnd.randint(1, 30)) for i in range(3000)))
    (tmp_path / "crlf.txt").write_bytes(b"line one\r\nline two\r\n")
    (tmp_path / "ascii.dat").write_bytes(b"abc\ndef\n")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "exact.bin").write_bytes(bytes(rnd.getrandbits(8) for _ in range(32766 * 2)))
    (tmp_path / "multi.eml").write_bytes(
        b"MIME-Version: 1.0\r\nSubject: parsed\r\nX-Folded: one\r\n two\r\n"
        b"Content-Type: multipart/mixed; boundary=\"XX\"\r\n\r\npreamble\r\n--XX\r\n"
        b"Content-Type: text/plain; charset=us-ascii\r\n\r\nfirst part\r\n--XX\r\n"
        b"Content-Type: application/octet-stream\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        b"aGVsbG8gd29ybGQ=\r\n--XX\r\nContent-Type: message/rfc822\r\n\r\n"
        b"Subject: inner\r\n\r\ninner body\r\n--XX--\r\nepilogue\r\n")
    encoded = base64.b64encode(bytes(rnd.getrandbits(8) for _ in range(3000))).decode()
    odd_lines = "\n".join(encoded[i:i + 73] for i in range(0, len(encoded), 73))
    qp_text = "".join(f"line {i} caf=E9 and a long tail {'x' * (i % 90)}=\n" for i in range(200))
    (tmp_path / "encoded.eml").write_bytes((
        "Content-Type: multipart/mixed; boundary=B\n\n--B\n"
        "Content-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
        f"{odd_lines}\n--B\nContent-Type: text/plain\nContent-Transfer-Encoding: quoted-printable\n\n"
        f"{qp_text}\n--B\nContent-Type: text/plain\nContent-Transfer-Encoding: x-uue\n\nbody\n--B--\n"
    ).encode())
    return tmp_path


SETUP = "set ::dir {%s}"


def _read_back(script: str, mode: str) -> str:
    """Copy with copymessage to a file configured with ``mode``, read it back as bytes."""
    return (f"set f [open $::dir/out w]; {mode}; mime::copymessage [{script}] $f; close $f; "
            "set f [open $::dir/out rb]; set r [read $f]; close $f; set r")


FILE_CASES = [
    ("b64", "mime::buildmessage [mime::initialize -canonical application/octet-stream -file $::dir/random.bin]"),
    ("b64_exact", "mime::buildmessage [mime::initialize -canonical application/octet-stream -file $::dir/exact.bin]"),
    ("short", "mime::buildmessage [mime::initialize -canonical text/plain -file $::dir/short.txt]"),
    ("long_qp", "mime::buildmessage [mime::initialize -canonical text/plain -file $::dir/long.txt]"),
    ("crlf_file", "mime::buildmessage [mime::initialize -canonical text/plain -file $::dir/crlf.txt]"),
    ("ascii_app", "mime::buildmessage [mime::initialize -canonical application/x-thing -file $::dir/ascii.dat]"),
    ("empty_file", "mime::buildmessage [mime::initialize -canonical text/plain -file $::dir/empty.txt]"),
    ("file_enc_qp", "mime::buildmessage [mime::initialize -canonical text/plain -encoding quoted-printable -file $::dir/long.txt]"),
    ("file_size", "mime::getproperty [mime::initialize -canonical application/octet-stream -file $::dir/random.bin] size"),
    ("missing_init", "set ::missing [mime::initialize -canonical text/plain -file $::dir/nosuch]"),
    ("missing_build", "mime::buildmessage $::missing"),
    ("missing_header", "mime::getheader $::missing"),
    ("missing_size", "mime::getproperty $::missing size"),
    ("missing_body", "mime::getbody $::missing"),
    ("missing_b64", "mime::buildmessage [mime::initialize -canonical image/png -file $::dir/nosuch]"),
    ("file_body", "string length [mime::getbody [mime::initialize -canonical application/octet-stream -file $::dir/random.bin]]"),
    ("file_body_cb", "set ::n {}; mime::getbody [mime::initialize -canonical application/octet-stream -file $::dir/random.bin] -command {apply {{args} {lappend ::n [lindex $args 0] [string length [lindex $args 1]]}}} -blocksize 30000; set ::n"),
    ("file_body_bytes", "binary scan [mime::getbody [mime::initialize -canonical application/octet-stream -file $::dir/exact.bin]] H* h; string range $h 0 200"),
    ("lazy_make", "set f [open $::dir/changing wb]; puts -nonewline $f first; close $f; "
                  "set ::lazy [mime::initialize -canonical text/plain -file $::dir/changing]"),
    ("lazy_changed", "set f [open $::dir/changing wb]; puts -nonewline $f {second version}; close $f; "
                     "list [mime::getproperty $::lazy size] [mime::buildmessage $::lazy] [mime::getbody $::lazy]"),
    ("lazy_removed", "file delete $::dir/changing; mime::buildmessage $::lazy"),
    ("lazy_removed_size", "mime::getproperty $::lazy size"),
    ("lazy_removed_body", "mime::getbody $::lazy"),
    ("dir_make", "file mkdir $::dir/adir; set ::adir [mime::initialize -canonical text/plain -file $::dir/adir]"),
    ("dir_size", "mime::getproperty $::adir size"),
    ("dir_body", "mime::getbody $::adir"),
    ("dir_b64_header", "mime::getheader [mime::initialize -canonical image/gif -file $::dir/adir]"),
    ("multi_file", "mime::buildmessage [mime::initialize -canonical multipart/mixed -parts [list [mime::initialize -canonical text/plain -file $::dir/short.txt] [mime::initialize -canonical image/jpeg -file $::dir/random.bin]]]"),
]

COPY_CASES = [
    ("copy_default", _read_back("mime::initialize -canonical text/plain -string \"caf\\u00e9\\nline\"", "")),
    ("copy_crlf", _read_back("mime::initialize -canonical text/plain -string \"a\\nb\"", "fconfigure $f -translation crlf")),
    ("copy_binary", _read_back("mime::initialize -canonical text/plain -string \"caf\\u00e9\\u00ff\"", "fconfigure $f -translation binary")),
    ("copy_file_b64", _read_back("mime::initialize -canonical image/gif -file $::dir/random.bin", "fconfigure $f -translation crlf")),
    ("copy_file_raw_bin", _read_back("mime::initialize -canonical application/x-thing -encoding binary -file $::dir/random.bin", "fconfigure $f -translation binary")),
    ("copy_file_raw_utf8", _read_back("mime::initialize -canonical application/x-thing -encoding binary -file $::dir/short.txt", "fconfigure $f -encoding utf-8")),
    ("copy_multi", _read_back("mime::initialize -canonical multipart/mixed -parts [list [mime::initialize -canonical text/plain -string one] [mime::initialize -canonical text/plain -file $::dir/short.txt]]", "fconfigure $f -translation crlf")),
    ("copy_bufsize", "set f [open $::dir/out w]; fconfigure $f -buffersize 1000; mime::copymessage [mime::initialize -canonical multipart/mixed -parts [list [mime::initialize -canonical text/plain -string one] [mime::initialize -canonical text/plain -string two]]] $f; set r [fconfigure $f -buffersize]; close $f; set r"),
    ("copy_missing", "set f [open $::dir/out w]; set r [catch {mime::copymessage [mime::initialize -canonical text/plain -file $::dir/nosuch] $f} m]; close $f; list $r $m"),
    ("copy_partial", "set f [open $::dir/out w]; set r [catch {mime::copymessage [mime::initialize -canonical multipart/mixed -parts [list [mime::initialize -canonical text/plain -string one] [mime::initialize -canonical text/plain -file $::dir/nosuch]]] $f} m]; close $f; set f [open $::dir/out rb]; set d [read $f]; close $f; list $r $m $d"),
    ("copy_result", "set f [open $::dir/out w]; set r [mime::copymessage [mime::initialize -canonical text/plain -string x] $f]; close $f; set r"),
]

PARSE_CASES = [
    ("ps", "set ::ps [mime::initialize -string \"Subject: hi\\nX-A: 1\\n\\nthe body\\n\"]"),
    ("ps_props", "mime::getproperty $::ps"),
    ("ps_hdr", "mime::getheader $::ps"),
    ("ps_build", "mime::buildmessage $::ps"),
    ("ps_body", "mime::getbody $::ps"),
    ("pf", "set ::pf [mime::initialize -file $::dir/multi.eml]"),
    ("pf_props", "mime::getproperty $::pf"),
    ("pf_parts", "mime::getproperty $::pf parts"),
    ("pf_hdr", "mime::getheader $::pf"),
    ("pf_build", "mime::buildmessage $::pf"),
    ("pf_sub_props", "lmap p [mime::getproperty $::pf parts] {mime::getproperty $p}"),
    ("pf_sub_hdr", "lmap p [mime::getproperty $::pf parts] {mime::getheader $p}"),
    ("pf_sub_body", "mime::getbody [lindex [mime::getproperty $::pf parts] 1]"),
    ("pf_sub_body0", "mime::getbody [lindex [mime::getproperty $::pf parts] 0]"),
    ("pf_sub_build", "lmap p [mime::getproperty $::pf parts] {mime::buildmessage $p}"),
    ("pf_inner", "set inner [lindex [mime::getproperty $::pf parts] 2]; list [mime::getproperty $inner parts] [mime::getheader [mime::getproperty $inner parts] subject]"),
    ("pf_fin", "mime::finalize $::pf"),
    ("pf_sub_gone", "mime::getproperty ${::pf}-1"),
    ("pstr", "set ::pm [mime::initialize -string [read [set f [open $::dir/multi.eml rb]]][close $f]]"),
    ("pstr_build", "mime::buildmessage $::pm"),
    ("pstr_sub", "lmap p [mime::getproperty $::pm parts] {mime::getbody $p}"),
    ("pstr_fin_none", "mime::finalize $::pm -subordinates none; mime::getproperty ${::pm}-1 content"),
    ("pstr_fin_sub", "mime::finalize ${::pm}-3"),
    ("pstr_fin_sub2", "mime::finalize ${::pm}-3-1"),
    ("p_cte_unknown", "set ::pu [mime::initialize -string \"Content-Transfer-Encoding: x-uue\\n\\nbody\"]; "
                      "list [mime::getproperty $::pu] [mime::getbody $::pu]"),
    ("p_cte_unknown_hdr", "mime::getheader $::pu"),
    ("p_cte_unknown_build", "mime::buildmessage $::pu"),
    ("enc_file", "set ::ef [mime::initialize -file $::dir/encoded.eml]; mime::getproperty $::ef"),
    ("enc_b64_body", "binary scan [mime::getbody ${::ef}-1] H* h; set h"),
    ("enc_b64_cb", "set ::n {}; mime::getbody ${::ef}-1 -command {apply {{args} {lappend ::n [lindex $args 0] [string length [lindex $args 1]]}}} -blocksize 100; set ::n"),
    ("enc_b64_cb_small", "set ::n {}; mime::getbody ${::ef}-1 -command {apply {{args} {lappend ::n [binary encode hex [lindex $args 1]]}}} -blocksize 7; set ::n"),
    ("enc_qp_body", "mime::getbody ${::ef}-2"),
    ("enc_qp_cb", "set ::n {}; mime::getbody ${::ef}-2 -command {apply {{args} {lappend ::n [lindex $args 1]}}} -blocksize 333; set ::n"),
    ("enc_uue_body", "mime::getbody ${::ef}-3"),
    ("enc_uue_hdr", "mime::getheader ${::ef}-3"),
    ("enc_hex_bs", "string length [mime::getbody ${::ef}-1 -blocksize 0x40]"),
    ("p_bad", "mime::initialize -string \"Content-Type: multipart/mixed\\n\\nx\""),
    ("p_after_bad", "mime::initialize -canonical text/plain -string ok"),
    ("p_missing", "mime::initialize -file $::dir/nosuch"),
]


@pytest.mark.parametrize("cases", [FILE_CASES, COPY_CASES, PARSE_CASES], ids=["file", "copy", "parse"])
def test_same_as_tcllib(compare, files, cases):
    bad = compare(cases, SETUP % files)
    assert not bad, "\n".join(bad)


def test_tilde_file_names_as_tcllib(compare, tmp_path, monkeypatch):
    """Tcl expands ~ in -file names: size, body and message read the same file."""
    monkeypatch.setenv("HOME", str(tmp_path))
    (tmp_path / "home.txt").write_bytes(b"from home\n")
    cases = [("t", "set ::h [mime::initialize -canonical text/plain -file ~/home.txt]"),
             ("size", "mime::getproperty $::h size"),
             ("body", "mime::getbody $::h"),
             ("build", "mime::buildmessage $::h")]
    bad = compare(cases)
    assert not bad, "\n".join(bad)
