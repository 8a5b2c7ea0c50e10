"""mime::qp_encode / qp_decode against tcllib, byte for byte."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from tclsmtp.mime import qp
from tclsmtp.primitives import call, load_all
from tclsmtp.session import Session

from test_functions_reference import python_call, tcllib_calls

load_all()

LONG = "x" * 200
_BYTES = "".join(map(chr, range(256)))


def _corpus() -> list[str]:
    base = [
        "", "a", " ", "\t", "a ", "a\t", "a \n", "a\t\nb", "line one\nline two\n",
        "=", "==", "a=b", "100% = sure", ".", "\n.\n", "a\n.\nb", "\n.\n.\n", ".\n", "\n.",
        "From me\nFrom you\n From x", "\nFrom ", "\nFrom", "x\r\ny\r\n", "tab\there",
        "[]{}\\$\"", "_?=", "a_b?c", "\x1f\x1e\x7f", _BYTES, _BYTES * 2,
        "caf\u00e9 na\u00efve", "\u0100\u4e2d\u6587 \u20ac", "space at end ", "trailing  \n",
        LONG, LONG + "\n" + LONG, "a" * 72, "a" * 73, "a" * 74, "a" * 146, "a" * 147,
        "=" * 100, "\u00e9" * 40, "a" * 70 + "=" + "b" * 10, "a" * 71 + "=" + "b" * 10,
        "a" * 72 + "=" + "b", "a" * 69 + "\u00e9\u00e9" + "c" * 5,
        "a" * 72 + " ", "a" * 73 + "\t", " " * 80, "\t" * 80, "a" * 72 + "\n" + "b" * 73,
        "%s\n" % ("word " * 30), "\u4e2d" * 90, "é" * 24 + "ab" + "é" * 30,
    ]
    base += ["a" * n + "=" for n in range(68, 76)]
    base += ["a" * n + "\u00ff" + "b" * 5 for n in range(66, 76)]
    return base


def _decode_corpus() -> list[str]:
    return [
        "", "a", "=41", "=4a=4A=4g", "=", "==41", "=\n", "a=\nb", "a=\r\nb", "a  \nb",
        "a \t \n", "trail   ", "trail\t", "=3D=3d", "=C3=A9", "_a_b_", "=5F", "a\\b",
        "\\u0041", "[set x]", "$x", "=\n=41", "=4\n1", "=E9t=E9", "=FF=00", "==\n41",
        "soft=\nbreak=\nlines", "\u4e2d=41", "x=0D=0A", " lead", "=20", "=09", "a=2",
    ]


def test_qp_encode_matches_tcllib(tcllib):
    cases = []
    for s in _corpus():
        for flags in ((), ("0",), ("1",), ("0", "1"), ("1", "1"), ("yes", "no"), ("true",)):
            cases.append((s, *flags))
    expected = tcllib_calls("mime::qp_encode", cases)
    session = Session()
    for case, want in zip(cases, expected):
        assert python_call(lambda *a: call(session, "mime.qp_encode", *a), *case) == want, case


def test_qp_decode_matches_tcllib(tcllib):
    cases = []
    for s in _decode_corpus() + [qp.qp_encode(x) for x in _corpus()[:20]]:
        for flags in ((), ("0",), ("1",)):
            cases.append((s, *flags))
    expected = tcllib_calls("mime::qp_decode", cases)
    session = Session()
    for case, want in zip(cases, expected):
        assert python_call(lambda *a: call(session, "mime.qp_decode", *a), *case) == want, case


def test_qp_argument_errors_match_tcllib(tcllib):
    # tcllib checks booleans only when it uses them (in `if {$flag}`).
    cases = [("a", "maybe"), ("a", "1", "maybe"), ("a", "09"), ("a", ""), ("a", "o"),
             ("a", "nan"), ("a", " 1 "), ("a", "0x0"), ("a", "1.5"), ("a", "of")]
    expected = tcllib_calls("mime::qp_encode", cases)
    session = Session()
    for case, want in zip(cases, expected):
        assert python_call(lambda *a: call(session, "mime.qp_encode", *a), *case) == want, case
    expected = tcllib_calls("::mime::qp_decode", [("a", "bogus")])
    assert python_call(lambda *a: call(session, "mime.qp_decode", *a), "a", "bogus") == expected[0]


def test_qp_wrong_arg_counts_match_tcllib(tcllib):
    expected = tcllib_calls("::mime::qp_encode", [(), ("a", "0", "0", "0")])
    expected += tcllib_calls("::mime::qp_decode", [(), ("a", "0", "0")])
    session = Session()
    got = [python_call(lambda *a: call(session, "mime.qp_encode", *a)),
           python_call(lambda *a: call(session, "mime.qp_encode", *a), "a", "0", "0", "0"),
           python_call(lambda *a: call(session, "mime.qp_decode", *a)),
           python_call(lambda *a: call(session, "mime.qp_decode", *a), "a", "0", "0")]
    assert got == expected


def test_qp_matches_stdlib_on_plain_ascii():
    # Where tcllib's rules agree with RFC 2045 (no specials, short lines),
    # the stdlib decoder reads our encoding back.
    import quopri
    text = "Hello = world, caf\u00e9!\nSecond line.\n"
    encoded = qp.qp_encode(text.encode("utf-8").decode("latin-1"))
    assert quopri.decodestring(encoded.encode("ascii")).decode("utf-8") == text


# BMP text without surrogates: what a Tcl 8.6 string can hold.
_tcl_text = st.text(st.characters(max_codepoint=0xFFFF, exclude_categories=("Cs",)), max_size=300)
_bytes_text = st.text(st.characters(max_codepoint=0xFF), max_size=300)
_qp_ish = st.lists(st.sampled_from(list("aA= \t\n.F_?3D\r") + ["=\n", "\nFrom ", "=41", "\u00e9",
                                                                  "\n.\n", "x" * 30]),
                   max_size=60).map("".join)


def _tcllib_lossy(s: str) -> bool:
    # Two tcllib bugs lose data, so only other texts round-trip: "\n.\n" is
    # encoded as "=2E\n" (the newline is dropped), and "\nFrom " keeps its
    # space unescaped, which the decoder strips when a newline follows.
    return "\n.\n" in s or "\nFrom \n" in s


@given(_bytes_text | _qp_ish)
def test_qp_roundtrip_bytes(s):
    if _tcllib_lossy(s):
        return
    assert qp.qp_decode(qp.qp_encode(s)) == s
    assert qp.qp_decode(qp.qp_encode(s, no_softbreak=True)) == s
    # Encoded words are one line. tcllib's decoder turns "_" into a space
    # before it strips trailing blanks, so spaces at the end are lost.
    word = s.replace("\n", "")
    assert qp.qp_decode(qp.qp_encode(word, encoded_word=True), encoded_word=True) == word.rstrip(" ")


@given(_tcl_text)
def test_qp_roundtrip_text(s):
    if _tcllib_lossy(s):
        return
    assert qp.qp_decode(qp.qp_encode(s)) == s


def test_qp_lossy_cases_are_tcllib_s(tcllib):
    cases = [("a\n.\nb",), ("\nFrom \nx",), ("x\nFrom \n", "1")]
    encoded = tcllib_calls("mime::qp_encode", cases)
    assert [("ok", qp.qp_encode(c[0], len(c) > 1)) for c in cases] == encoded
    decoded = tcllib_calls("mime::qp_decode", [(e[1], *c[1:]) for e, c in zip(encoded, cases)])
    assert decoded == [("ok", "a.\nb"), ("ok", "\nFrom\nx"), ("ok", "x\nFrom\n")]


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(_tcl_text | _qp_ish, st.sampled_from(["0", "1"]),
                          st.sampled_from(["0", "1"])), min_size=1, max_size=40))
def test_qp_encode_decode_match_tcllib_generated(cases):
    enc = tcllib_calls("mime::qp_encode", cases)
    dec_cases = [(s, ew) for s, ew, _ in cases]
    dec = tcllib_calls("mime::qp_decode", dec_cases)
    for (s, ew, nsb), want_enc, want_dec in zip(cases, enc, dec):
        assert ("ok", qp.qp_encode(s, ew == "1", nsb == "1")) == want_enc, (s, ew, nsb)
        assert ("ok", qp.qp_decode(s, ew == "1")) == want_dec, (s, ew)
