"""mime::parseaddress against tcllib on a corpus of good and broken addresses."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from tclsmtp.errors import ScriptError
from tclsmtp.mime import address
from tclsmtp.primitives import call, load_all
from tclsmtp.session import Session

from test_functions_reference import python_call, tcllib_calls

load_all()

CORPUS = [
    "", " ", "user@example.com", "User Name <user@example.com>", "<user@example.com>",
    "user", "user@", "@example.com", "user@example.com, other@example.org",
    "\"Quoted, Name\" <q@example.com>", "\"unterminated <q@example.com>",
    "user@example.com (A Comment)", "(lead comment) user@example.com",
    "user(inner)@example.com", "user@example.com (nested (comment) here)",
    "user@example.com (unterminated", "(c1) (c2) a@b (c3)", "a@b (c), d@e (f)",
    "Group: a@b, c@d;", "Group: a@b, c@d; e@f", "Group:;", "Group: ;, x@y", "Empty Group:",
    "G1: a@b; G2: c@d;", "G1: G2: a@b;;", "a@b;", ";", ";;a@b", ",,,a@b,,,",
    "<@route1,@route2:user@example.com>", "<@r1:u@d>", "<@r1,,@r2:u@d>", "<@r1 u@d>",
    "<@:u@d>", "<@r1,x:u@d>", "Name <@r1.r2@r3:u@d>",
    "user@[192.168.0.1]", "user@[unterminated", "user@[a\\]b]", "\"quoted local\"@example.com",
    "first.last@sub.example.com", "first .last@example.com", "first. last @ example . com",
    "Dr. Who <who@tardis>", "J. Random Hacker <jrh@example.com>", "a.b.c",
    "user@host@relay", "a@b@c@d", "user%host@relay",
    "/G=John/S=Smith/O=Org/@x400.example", "/PN=John Smith/O=Org/@x400.example",
    "/S=Smith/O=Org/@x400.example", "/G=John/@x400.example", "\"/S=Smith/G=John/\"@gw",
    "phrase only here", "phrase with \"quoted\" parts <p@q>", "a b c d e",
    "user@example.com junk", "user@example.com <second>", "<a@b> trailing",
    "<missing.bracket@example.com", "<a@b>>", "<>", "<a>", "<a@>", "a@<b>",
    "\\backslash@x", "a\\@b@c", "@", "@@", "a@@b", ":", "Name:", "::", "a:b:c",
    "\"\"", "\"\" <a@b>", "\"a\\\"b\" <x@y>", "\"a@b\" <x@y>", "x <y <z@w>>",
    "\u00e9l\u00e8ve@\u00e9cole.fr", "\u4e2d\u6587 <zh@example.cn>", "tab\tsep@x",
    "line\nbreak@x", "cr\rlf@x", "a@b\r\n", "nul\x00@x", "\x0bvt@x", "\u00a0nbsp@x",
    "To: a@b", "a@b, (only comment)", "(only comment)", "a@b, , c@d",
    "Undisclosed recipients:;", "undisclosed-recipients: ;",
    "A Group:Chris Jones <c@a.test>,joe@where.test,John <jdoe@one.test>;",
    "Pete(A nice \\) chap) <pete(his account)@silly.test(his host)>",
    "Mary Smith <mary@x.test>, jdoe@example.org, Who? <one@y.test>",
    "\"Joe Q. Public\" <john.q.public@example.com>", "<boss@nil.test>, \"Giant; \\\"Big\\\" Box\" <sysservices@example.net>",
    "Jane Brown <j-brown@other.example>", "a@b.c.", "a@.b", "a@b..c", ".a@b", "a.@b",
    "a@b (c) (d)", "a (b) @ c (d) . e (f)", "<a@b> (c)", "Name (c) <a@b>",
    "Name <a@b> (c), Other <d@e> (f)", "G: (c) a@b (d);", "G: a@b (x) ;(y) c@d",
    "x@y;z@w", "G: a@b, ;", "G: a; b;", "a; b", "G:a@b;;",
]


def _ours(text: str):
    session = Session()
    return python_call(lambda *a: call(session, "mime.parseaddress", *a), text)


def test_parseaddress_corpus_matches_tcllib(tcllib):
    expected = tcllib_calls("mime::parseaddress", [(t,) for t in CORPUS], shape="ll")
    for text, want in zip(CORPUS, expected):
        assert _ours(text) == want, text


def test_parseaddress_wrong_args(tcllib):
    expected = tcllib_calls("::mime::parseaddress", [(), ("a", "b")], shape="ll")
    assert [_ours_args(), _ours_args("a", "b")] == expected


def _ours_args(*args: str):
    session = Session()
    return python_call(lambda *a: call(session, "mime.parseaddress", *a), *args)


def test_key_order_is_tcllibs():
    [parsed] = address.parse_addresses("Name <a@b>")
    assert list(parsed) == ["address", "comment", "domain", "error", "friendly", "group",
                            "local", "memberP", "phrase", "proper", "route"]


_pieces = st.sampled_from(["a", "b.c", "@", "<", ">", ",", ";", ":", ".", "(", ")", "\"", "[",
                           "]", "\\", " ", "\t", "\n", "Name", "x@y", "(c)", "\"q s\"",
                           "[1.2.3.4]", "@r:", "/S=Smith/G=J/", "\u00e9"])
_address_like = st.lists(_pieces, max_size=14).map("".join)


@given(st.text(max_size=60) | _address_like)
def test_parseaddress_never_raises_other_errors(text):
    try:
        address.parse_addresses(text)
    except ScriptError:
        pass


@settings(max_examples=20, deadline=None)
@given(st.lists(_address_like | st.text(st.characters(max_codepoint=0x2FF,
                                                      exclude_categories=("Cs",)), max_size=30),
                min_size=1, max_size=60))
def test_parseaddress_generated_matches_tcllib(texts):
    expected = tcllib_calls("mime::parseaddress", [(t,) for t in texts], shape="ll")
    for text, want in zip(texts, expected):
        assert _ours(text) == want, text


def test_long_lists_parse_where_tcllib_runs_out_of_recursion(tcllib):
    # docs/compat.md: tcllib recurses per comment and per empty element.
    texts = ["a@b " + "(c)" * 3000, "," * 3000 + "a@b", "G: " + "," * 3000 + "a@b;"]
    expected = tcllib_calls("mime::parseaddress", [(t,) for t in texts], shape="ll")
    assert all(w == ("error", "too many nested evaluations (infinite loop?)") for w in expected)
    for text in texts:
        [parsed] = address.parse_addresses(text)
        assert (parsed["address"], parsed["error"]) == ("a@b", "")
    [parsed] = address.parse_addresses(texts[0])
    assert parsed["comment"] == " ".join(["(c)"] * 3000)
