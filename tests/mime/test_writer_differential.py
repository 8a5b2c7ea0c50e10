"""Random messages built by the same script under tcllib and under tclsmtp:
buildmessage, getheader and getproperty must agree (one tclsh run for all).

Bodies stay within what tcllib handles losslessly (characters up to U+00FF)
and header values without line breaks: beyond that we differ on purpose
(docs/compat.md).
"""
from __future__ import annotations

import random
import re

from conftest import Result, run_both

COUNT = 150

TYPES = ["text/plain", "text/html", "TEXT/Enriched", "application/octet-stream",
         "application/pdf", "image/gif", "audio/basic", "video/mpeg", "message/partial"]
ENCODINGS = [None, None, None, "7bit", "8bit", "binary", "base64", "quoted-printable", "BASE64"]
HEADER_NAMES = ["Subject", "X-Mailer", "x-mailer", "Content-Description", "Content-Disposition",
                "Received", "Reply-To", "Content-ID", "X-Priority"]
PARAM_NAMES = ["charset", "name", "format", "delsp", "x-a", "x-b", "x-c", "x-d", "x-e", "x-f",
               "x-g", "x-h", "x-i", "x-j", "x-k", "x-l", "method", "Charset2"]
CHARSETS = ["us-ascii", "iso-8859-1", "ISO-8859-5", "utf-8", "windows-1252"]


def _hex(s: str) -> str:
    return "[binary format H* " + s.encode("latin-1").hex() + "]"


def _text(rnd: random.Random) -> str:
    pieces = []
    for _ in range(rnd.randint(0, 8)):
        kind = rnd.random()
        if kind < 0.4:
            pieces.append(" ".join(rnd.choice(["word", "=", "a=b", "x", "Zz", "(!)", "#$@[]^`{}~"])
                                   for _ in range(rnd.randint(0, 30))))
        elif kind < 0.55:
            pieces.append(rnd.choice(["\n", "\n.\n", "\nFrom me", " \n", "\t\n", "\r\n", "\n\n"]))
        elif kind < 0.7:
            pieces.append("".join(chr(rnd.randint(0xA0, 0xFF)) for _ in range(rnd.randint(1, 5))))
        elif kind < 0.8:
            pieces.append("".join(chr(rnd.randint(0, 0x1F)) for _ in range(rnd.randint(1, 3))))
        else:
            pieces.append("y" * rnd.randint(60, 200))
    return "".join(pieces)


def _leaf(rnd: random.Random) -> str:
    args = ["-canonical", rnd.choice(TYPES)]
    for name in rnd.sample(PARAM_NAMES, rnd.choice([0, 0, 1, 2, 5, 13, 16])):
        value = rnd.choice(CHARSETS) if name.lower().startswith("charset") else f"v{rnd.randint(0, 99)}"
        args += ["-param", "{" + name + " " + value + "}"]
    encoding = rnd.choice(ENCODINGS)
    if encoding:
        args += ["-encoding", encoding]
    for _ in range(rnd.choice([0, 0, 1, 3])):
        args += ["-header", "[list " + rnd.choice(HEADER_NAMES) + " {value " + str(rnd.randint(0, 9)) + "}]"]
    args += ["-string", _hex(_text(rnd))]
    return "[mime::initialize " + " ".join(args) + "]"


def _tree(rnd: random.Random, depth: int = 0) -> str:
    if depth >= 2 or rnd.random() < 0.5:
        return _leaf(rnd)
    content = rnd.choice(["multipart/mixed", "multipart/alternative", "message/rfc822",
                          "multipart/related"])
    args = ["-canonical", content]
    if rnd.random() < 0.3:
        args += ["-param", "{boundary " + rnd.choice(["simple", "a-b.c", "=_x"]) + "}"]
    if rnd.random() < 0.3:
        args += ["-param", "{type text/html}"]
    if rnd.random() < 0.3:
        args += ["-header", "{Subject nested}"]
    parts = [_tree(rnd, depth + 1) for _ in range(rnd.randint(0, 3))]
    args += ["-parts", "[list " + " ".join(parts) + "]"]
    return "[mime::initialize " + " ".join(args) + "]"


def _cases() -> list[tuple[str, str]]:
    rnd = random.Random(20261128)
    cases = []
    for i in range(COUNT):
        tree = _tree(rnd)
        cases.append((f"m{i}", f"set t {tree}; list [mime::buildmessage $t] [mime::getheader $t] "
                               f"[mime::getproperty $t] [mime::getheader $t -names]"))
    return cases


def test_random_messages_match_tcllib(tcllib):
    cases = _cases()
    ref, ours = run_both(cases)
    bad = []
    for name, script in cases:
        r, o = ref[name], ours[name]
        if r != o:
            bad.append(f"{name}: {script}\n  tcllib: {r}\n  ours:   {o}")
    assert not bad, f"{len(bad)} of {COUNT} differ:\n" + "\n".join(bad[:5])


CHANNEL_MODES = ["", "fconfigure $f -translation crlf", "fconfigure $f -translation binary",
                 "fconfigure $f -encoding iso8859-1", "fconfigure $f -encoding binary -translation crlf",
                 "fconfigure $f -translation lf -encoding utf-8"]


def _files(rnd: random.Random, directory) -> list[str]:
    names = []
    for i in range(12):
        kind = i % 4
        if kind == 0:
            data = bytes(rnd.getrandbits(8) for _ in range(rnd.randint(0, 70000)))
        elif kind == 1:
            data = _text(rnd).encode("latin-1") * rnd.randint(1, 40)
        elif kind == 2:
            data = b"".join(b"short line %d\n" % n for n in range(rnd.randint(0, 3000)))
        else:
            data = _text(rnd).encode("latin-1")
        (directory / f"f{i}").write_bytes(data)
        names.append(f"f{i}")
    return names


def _file_leaf(rnd: random.Random, names: list[str]) -> str:
    args = ["-canonical", rnd.choice(TYPES)]
    if rnd.random() < 0.3:
        args += ["-param", "{charset " + rnd.choice(CHARSETS) + "}"]
    encoding = rnd.choice(ENCODINGS)
    if encoding:
        args += ["-encoding", encoding]
    args += ["-file", "$::dir/" + rnd.choice(names)]
    return "[mime::initialize " + " ".join(args) + "]"


def test_random_file_messages_through_channels_match_tcllib(tcllib, tmp_path):
    """copymessage writes with puts, so even raw 8-bit -file bodies must come
    out of every channel configuration as tcllib's do."""
    rnd = random.Random(4242)
    names = _files(rnd, tmp_path)
    cases = []
    for i in range(60):
        leaves = [_file_leaf(rnd, names) if rnd.random() < 0.7 else _leaf(rnd)
                  for _ in range(rnd.randint(1, 3))]
        tree = leaves[0] if len(leaves) == 1 else \
            "[mime::initialize -canonical multipart/mixed -parts [list " + " ".join(leaves) + "]]"
        mode = rnd.choice(CHANNEL_MODES)
        cases.append((f"c{i}", f"set ::t {tree}; set f [open $::dir/out w]; {mode}; "
                               "mime::copymessage $::t $f; close $f; "
                               "set f [open $::dir/out rb]; set d [read $f]; close $f; set d"))
        cases.append((f"p{i}", "mime::getproperty $::t"))
    ref, ours = run_both(cases, f"set ::dir {{{tmp_path}}}")
    bad = [f"{name}: {script}\n  tcllib: {ref[name]}\n  ours:   {ours[name]}"
           for name, script in cases if ref[name] != ours[name]]
    assert not bad, f"{len(bad)} of {len(cases)} differ:\n" + "\n".join(b[:3000] for b in bad[:3])
