"""Parsed messages seen through a real interpreter: tests/mime/parse_walk.tcl
runs under tclsh + tcllib and inside tkinter.Tcl() with tclsmtp installed
(mime::initialize, getproperty, getheader, getbody on parsed tokens), and
the two outputs must be the same text."""
from __future__ import annotations

import random
from pathlib import Path

import pytest
from hypothesis import example, given, settings, strategies as st

from parser_fuzz import message
from parser_render import CORPUS, WALK_SCRIPT, sections
from test_parser import assert_same, tcllib_walk

CORPUS_FILES = sorted(CORPUS.glob("*.eml"))


def tclsmtp_walk(interp, paths: list[Path]) -> dict[str, str]:
    interp.eval(f"source {{{WALK_SCRIPT}}}")
    interp.call("set", "files", tuple(str(p) for p in paths))
    return sections(interp.eval("walk_files $files"))


def test_interpreter_uses_tclsmtp(interp):
    interp.eval("package require mime")
    # Our mime::initialize is a thin proc over ::tclsmtp::call, not tcllib's.
    assert "tclsmtp" in interp.eval("info body ::mime::initialize")


@pytest.fixture(scope="module")
def corpus_reference(tcllib) -> dict[str, str]:
    return tcllib_walk(CORPUS_FILES)


def test_corpus_through_interpreter_like_tcllib(interp, corpus_reference):
    mine = tclsmtp_walk(interp, CORPUS_FILES)
    assert set(mine) == set(corpus_reference)
    for key in sorted(corpus_reference):
        assert_same(corpus_reference[key], mine[key], key)


def test_random_messages_through_interpreter_like_tcllib(interp, tcllib, tmp_path: Path):
    paths = []
    for seed in range(300):
        paths.append(tmp_path / f"m{seed:04d}.eml")
        paths[-1].write_bytes(message(random.Random(10_000 + seed)))
    reference = tcllib_walk(paths)
    mine = tclsmtp_walk(interp, paths)
    assert set(mine) == set(reference)
    for key in sorted(reference):
        assert_same(reference[key], mine[key], key)


_interp = None


def _shared_interp():
    """One interpreter for all examples (hypothesis runs the test many times)."""
    global _interp
    if _interp is None:
        import tkinter

        import tclsmtp
        _interp = tkinter.Tcl()
        tclsmtp.install(_interp)
        _interp.eval(f"source {{{WALK_SCRIPT}}}")
    return _interp


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=600) | st.lists(st.sampled_from([
    b"Content-Type: multipart/mixed; boundary=b", b"Content-Type: message/rfc822",
    b"Content-Transfer-Encoding: base64", b"--b", b"--b--", b"", b"X: y", b"QUJDR", b"\r",
    b" cont", b"no colon", b"\xff\xfe"]), max_size=25).map(b"\n".join))
@example(b"\xed\xa0\x80")   # the error message holds a lone surrogate, as tcllib's does
def test_any_input_gives_tokens_or_tcllib_errors(tmp_path_factory, data: bytes):
    """Through the real interpreter, parsing and reading back never ends in
    anything but a proper Tcl error (no internal error, no empty message)."""
    path = tmp_path_factory.mktemp("any") / "m.eml"
    path.write_bytes(data)
    interp = _shared_interp()
    interp.call("set", "files", (str(path),))
    try:
        out = interp.eval("walk_files $files")
    except Exception as err:  # a Tcl error escaping the walk (which catches its own)
        raise AssertionError(f"walk failed: {err}") from None
    for line in out.splitlines():
        if "-error " in line:
            # surrogatepass: tcllib's own message can hold a lone surrogate (as its
            # UTF-8 form ED A0 80) when the input did
            message = bytes.fromhex(line.split()[1]).decode("utf-8", "surrogatepass")
            assert message and "internal error" not in message, line
