"""Content-Type values and their parameter order against tcllib.

tcllib returns parameters in Tcl's hash-table order (``array get``), which
scripts see through ``getproperty params``; the parser reproduces it."""
from __future__ import annotations

import random

from reference import run_tclsh

from tclsmtp.mime.parse_type import parse_content_type

_NAME_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ0123456789-_.éßДж"
_TRICKY_VALUES = [
    "Content-Type: text/plain", "Content-Type: TEXT/PLAIN ; CHARSET = \"x y\"",
    "Content-Type: message", "Content-Type: message ; x=y", "Content-Type: text",
    "Content-Type: text/", "Content-Type: /plain", "Content-Type: text/plain;",
    "Content-Type: text/plain;;", "Content-Type: text/plain; a", "Content-Type: text/plain; a=",
    "Content-Type: text/plain; a=b c=d", "Content-Type: text/plain; a=\"b\\\"c\"",
    "Content-Type: text/plain; a=\"unterminated", "Content-Type: text/plain (unterminated",
    "Content-Type: (c)text(d)/(e)plain(f);(g)a(h)=(i)b(j)", "Content-Type: text/plain; a=[b]",
    "Content-Type: text/plain; a=b=c", "Content-Type: text/plain; a=b/c", "Content-Type: a\rb/c",
    "Content-Type: text/plain; a=\"\"", "Content-Type: text/plain; a=b; A=c",
    "Content-Type: text/pl\\ain", "Content-Type: text/plain; \\=x", "Content-Type: text/plain ?",
    "Content-Type: \xe9/\xc9; \xc9=\xe9", "Content-Type: text/plain; a=(x)", "Content-Type: ;",
    "Content-Type: text/plain; a=b;\n c=d", "Content-Type: text/x; boundary=\"(x)\"",
]


def _random_header(rng: random.Random) -> str:
    names = ["".join(rng.choice(_NAME_CHARS) for _ in range(rng.randint(1, 10)))
             for _ in range(rng.randint(0, 60))]
    params = "".join(f"; {n}={'v' + str(i)}" for i, n in enumerate(names))
    return "Content-Type: application/x" + params


_SCRIPT = r"""
package require mime
fconfigure stdin -translation lf -encoding utf-8
foreach header [split [read stdin] \x01] {
    set t [mime::initialize -string "$header\n\nX: y\n"]
    set line [list [mime::getproperty $t content]]
    foreach {k v} [mime::getproperty $t params] { lappend line $k $v }
    puts [binary encode hex [encoding convertto utf-8 [join $line \x02]]]
    mime::finalize $t
}
"""


def test_content_types_and_param_order_like_tcllib(tcllib):
    rng = random.Random(2047)
    headers = _TRICKY_VALUES + [_random_header(rng) for _ in range(400)]
    run = run_tclsh(_SCRIPT, stdin="\x01".join(headers))
    assert run.returncode == 0, run.stderr
    expected = [bytes.fromhex(h).decode("utf-8").split("\x02") for h in run.stdout.split()]
    assert len(expected) == len(headers)
    for header, want in zip(headers, expected):
        parsed = parse_content_type(header.split(":", 1)[1].strip())
        content, params = parsed if parsed else ("text/plain", [("charset", "us-ascii")])
        got = [content] + [x for kv in params for x in kv]
        assert got == want, header
