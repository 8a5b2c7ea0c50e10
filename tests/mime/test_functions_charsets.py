"""mime::mapencoding / reversemapencoding and Tcl's encodings, against tclsh."""
from __future__ import annotations

from tclsmtp.mime import charsets
from tclsmtp.primitives import call, load_all
from tclsmtp.session import Session

from reference import run_tclsh
from test_functions_reference import python_call, tcllib_calls

load_all()


def _prim(name):
    session = Session()
    return lambda *a: call(session, name, *a)


def test_mapencoding_matches_tcllib(tcllib):
    names = sorted(charsets.ENCODINGS) + ["UTF-8", "utf8", "latin1", "", "bogus", "Ascii"]
    cases = [(n,) for n in names]
    expected = tcllib_calls("mime::mapencoding", cases)
    assert [python_call(_prim("mime.mapencoding"), n) for n in names] == expected


def test_reversemapencoding_matches_tcllib(tcllib):
    charsets_seen = [m for m in charsets.ENCODINGS.values() if m]
    charsets_seen += [alias for _, alias in charsets._ALIASES]
    names = charsets_seen + [m.upper() for m in charsets_seen] + [m.lower() for m in charsets_seen]
    names += ["", "bogus", "utf-16", "ks_c_5601-1987", "windows-1252", "x-unknown"]
    expected = tcllib_calls("mime::reversemapencoding", [(n,) for n in names])
    assert [python_call(_prim("mime.reversemapencoding"), n) for n in names] == expected


def test_wrong_arg_counts(tcllib):
    expected = tcllib_calls("::mime::mapencoding", [(), ("a", "b")])
    expected += tcllib_calls("::mime::reversemapencoding", [(), ("a", "b")])
    got = [python_call(_prim("mime.mapencoding")), python_call(_prim("mime.mapencoding"), "a", "b"),
           python_call(_prim("mime.reversemapencoding")),
           python_call(_prim("mime.reversemapencoding"), "a", "b")]
    assert got == expected


_TEXTS = ["", "plain ascii ~\\$", "caf\u00e9 \u00fc\u00df \u00a4\u20ac", "\u0416\u0438\u0437\u043d\u044c",
          "\u4e2d\u6587\u5b57", "\u65e5\u672c\u8a9e\u30c6\u30b9\u30c8\uff71", "\ud55c\uad6d\uc5b4",
          "\u03b1\u03b2\u03b3 \u05d0\u05d1 \u0627\u0628 \u0e01\u0e02", "\u00a5\u203e",
          "".join(map(chr, range(0, 0x250)))]
_BLOBS = ["".join(map(chr, range(256))), "\xa4\xa1\xb0\xa1\xc4\xe3\xd6\xd0", "\x1b$B4A;z\x1b(B",
          "\x30\x21\x43\x66\x7f\x21", "\xe4\xb8\xad\xff\xc0\x80\xed\xa0\x80a\xe9", "\x8e\xb1\x8f\xb0\xa1"]


def _supported_mapped() -> list[str]:
    return [enc for enc, mime in charsets.ENCODINGS.items() if mime and charsets.is_supported(enc)]


def test_iso2022_escapes_match_tcl(tcllib):
    # Tcl's escape-driven encoders: sub-table order, staying in the current
    # table while it can, fallbacks, unknown sequences skipped.
    texts = ["abc", "caf\u00e9", "a\u65e5b\uff71c", "\ud55c\uad6d", "\u00a5\u203e", "",
             "\x00a\x00\u65e5\x00", "\x7f\x80\x9f", "\u4e2d\u6587", "\u20ac\u2225?"]
    blobs = ["\x1bxabc", "\x1b$Babc", "\x0e\x30\x21\x0fa", "\x1b$)C\x0e\x30\x21",
             "\x1b(J\x5c\x7e\xb1", "ab\x1b", "\x1b$(D\x2b\x31", "\xff\xfe", "\x1b&@\x1b$B\x30\x21"]
    for enc in ("iso2022-jp", "iso2022-kr", "iso2022"):
        expected = tcllib_calls("encoding convertto", [(enc, t) for t in texts])
        assert [("ok", charsets.convertto(enc, t).decode("latin-1")) for t in texts] == expected, enc
        expected = tcllib_calls("encoding convertfrom", [(enc, b) for b in blobs])
        assert [("ok", charsets.convertfrom(enc, b)) for b in blobs] == expected, enc


def test_iso2022_jp_common_ground_matches_tcl(tcllib):
    texts = ["plain", "\u65e5\u672c\u8a9e\u30c6\u30b9\u30c8", "mixed \u65e5\u672c text"]
    expected = tcllib_calls("encoding convertto", [("iso2022-jp", t) for t in texts])
    assert [("ok", charsets.convertto("iso2022-jp", t).decode("latin-1")) for t in texts] == expected
    blobs = [charsets.convertto("iso2022-jp", t).decode("latin-1") for t in texts]
    expected = tcllib_calls("encoding convertfrom", [("iso2022-jp", b) for b in blobs])
    assert [("ok", charsets.convertfrom("iso2022-jp", b)) for b in blobs] == expected


def test_every_mapped_encoding_but_one_is_supported():
    missing = [enc for enc, mime in charsets.ENCODINGS.items() if mime and not charsets.is_supported(enc)]
    assert missing == ["gb12345"]  # no Python codec; see docs/compat.md


def test_convertto_matches_tcl(tcllib):
    encs = _supported_mapped()
    cases = [(enc, text) for enc in encs for text in _TEXTS]
    expected = tcllib_calls("encoding convertto", cases)
    for (enc, text), want in zip(cases, expected):
        assert ("ok", charsets.convertto(enc, text).decode("latin-1")) == want, (enc, text)


def test_convertfrom_matches_tcl(tcllib):
    encs = _supported_mapped()
    cases = [(enc, blob) for enc in encs for blob in _BLOBS]
    cases += [(enc, charsets.convertto(enc, text).decode("latin-1")) for enc in encs for text in _TEXTS]
    expected = tcllib_calls("encoding convertfrom", cases)
    for (enc, blob), (status, value) in zip(cases, expected):
        # A lone surrogate comes to Python the way tkinter hands it over.
        assert ("ok", charsets.convertfrom(enc, blob)) == (status, charsets.tkinter_form(value)), (enc, blob)


_BMP = "".join(chr(c) for c in range(0x10000) if not 0xD800 <= c < 0xE000)

# One tclsh run per test; results come back as hex (fast for large tables).
_TABLE_SCRIPT = r"""
set bmp {}
for {set c 0} {$c < 0x10000} {incr c} {
    if {$c < 0xD800 || $c >= 0xE000} {append bmp [format %c $c]}
}
set pairs {}
for {set a 0} {$a < 256} {incr a} {
    for {set b 0} {$b < 256} {incr b} {lappend pairs [binary format cc $a $b]}
}
foreach enc $argv {
    binary scan [encoding convertto $enc $bmp] H* h
    puts "to $enc $h"
    set out {}
    foreach p $pairs {
        binary scan [encoding convertto utf-8 [encoding convertfrom $enc $p]] H* h
        lappend out $h
    }
    puts "from $enc [join $out ,]"
}
"""


def _tcl_tables(encs):
    run = run_tclsh(_TABLE_SCRIPT, *encs, timeout=600)
    assert run.returncode == 0, run.stderr
    to, frm = {}, {}
    for line in run.stdout.splitlines():
        kind, enc, data = (line.split(" ", 2) + [""])[:3]
        if kind == "to":
            to[enc] = bytes.fromhex(data)
        else:
            frm[enc] = [charsets.tkinter_form(bytes.fromhex(h).decode("utf-8", "surrogatepass"))
                        for h in data.split(",")]
    return to, frm


def test_tables_match_tcl_on_whole_bmp_and_all_byte_pairs(tcllib):
    # Every character on its own (table entries and fallbacks: these
    # encoders are stateless, so the whole string is the concatenation),
    # and every two-byte sequence decoded on its own (lead bytes, undefined
    # pairs, fallbacks).
    encs = _supported_mapped()
    to, frm = _tcl_tables(encs)
    pairs = [bytes([a, b]) for a in range(256) for b in range(256)]
    for enc in encs:
        if charsets.convertto(enc, _BMP) != to[enc]:
            bad = next(ch for ch in _BMP if charsets.convertto(enc, ch).hex()
                       != run_tclsh(f"puts -nonewline [binary encode hex [encoding convertto {enc} "
                                    f"[format %c {ord(ch)}]]]").stdout)
            raise AssertionError((enc, hex(ord(bad))))
        got = [charsets.convertfrom(enc, p) for p in pairs]
        assert got == frm[enc], (enc, next(p for p, g, w in zip(pairs, got, frm[enc]) if g != w))
