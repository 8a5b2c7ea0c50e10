"""The parser corpus in CRLF mode: every corpus message (tests/mime/corpus,
the real_*.eml ones shaped like a mail client's or a server's) with its line
ends made LF and made CRLF, parsed with -file and with -string, walked fully
(content, params, every header, getbody, getbody -decode), built with
buildmessage, the built message parsed again and built again (round trip).
tests/mime/parse_walk.tcl does it (walk_ends) under tclsh + tcllib 2.0 and
inside a tkinter interpreter with tclsmtp; the outputs must be the same."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from parser_fuzz import message
from parser_render import CORPUS, WALK_SCRIPT, sections
from reference import run_tclsh
from test_parser import assert_same

CORPUS_FILES = sorted(CORPUS.glob("*.eml"))
REAL_WORLD = [p for p in CORPUS_FILES if p.name.startswith("real_")]


FUZZ_COUNT = 300


def _walk_ends_tcllib(paths: list[Path], work: Path) -> dict[str, str]:
    run = run_tclsh(WALK_SCRIPT.read_text(), "-ends", str(work), *map(str, paths), timeout=600)
    assert run.returncode == 0, run.stderr
    return sections(run.stdout)


def _walk_ends_tclsmtp(interp, paths: list[Path], work: Path) -> dict[str, str]:
    interp.eval(f"source {{{WALK_SCRIPT}}}")
    interp.call("set", "files", tuple(str(p) for p in paths))
    interp.call("set", "work", str(work))
    return sections(interp.eval("walk_ends $files $work"))


@pytest.fixture(scope="module")
def walks(tcllib, tmp_path_factory) -> tuple[dict[str, str], dict[str, str]]:
    import tkinter

    import tclsmtp
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    reference = _walk_ends_tcllib(CORPUS_FILES, tmp_path_factory.mktemp("ends-tcllib"))
    ours = _walk_ends_tclsmtp(interp, CORPUS_FILES, tmp_path_factory.mktemp("ends-tclsmtp"))
    return reference, ours


def test_real_world_messages_are_there():
    assert len(REAL_WORLD) >= 8


def _documented_8bit_build(expected: str, actual: str) -> tuple[str, str]:
    """The walks of a -file message with bytes 0x80-0xFF, up to and with
    its build line, compared without the build's characters 0x80-0xFF.

    docs/compat.md, "`mime::buildmessage` keeps the bytes of `-file` bodies
    sent without base64 or quoted-printable": tcllib writes such a body
    through a UTF-8 channel, so each of its bytes 0x80-0xFF becomes two
    (headers are written alike). Without those characters the builds must
    be equal, tcllib's longer; the bytes themselves were compared in the
    walk (getbody). What follows (tcllib re-parsing its doubled bytes) is
    not compared.
    """
    def split(walk: str) -> tuple[str, str]:
        head, sep, rest = walk.partition("\nbuild ")
        assert sep, walk[-300:]
        return head, bytes.fromhex(rest.split("\n", 1)[0]).decode("utf-8", "surrogatepass")

    def ascii_only(text: str) -> str:
        return "".join(c for c in text if c < "\x80").encode().hex()

    ref_head, ref_build = split(expected)
    our_head, our_build = split(actual)
    assert len(ref_build) > len(our_build), "not the documented difference"
    return (f"{ref_head}\nbuild-ascii {ascii_only(ref_build)}",
            f"{our_head}\nbuild-ascii {ascii_only(our_build)}")


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_lf_and_crlf_like_tcllib(path: Path, walks):
    reference, ours = walks
    keys = {f"{path.name} {ends} {mode}" for ends in ("lf", "crlf") for mode in ("file", "string")}
    assert keys <= set(reference) and keys <= set(ours)
    eight_bit = any(b >= 0x80 for b in path.read_bytes())
    for key in sorted(keys):
        expected, actual = reference[key], ours[key]
        if key.endswith(" file") and eight_bit and expected != actual:
            expected, actual = _documented_8bit_build(expected, actual)
        assert_same(expected, actual, key)


_STRUCTURE = re.compile(r"^\s*(part|content|param|header|value|parts|version) ")


@pytest.mark.parametrize("path", REAL_WORLD, ids=lambda p: p.name)
def test_crlf_parses_as_lf(path: Path, walks):
    # mime 1.7.2: a message with CRLF ends has the structure, types,
    # parameters and headers of the same message with LF ends (1.7.0 added
    # "]" to every header value). The reference shows it, and so do we.
    for side in walks:
        for mode in ("file", "string"):
            lf, crlf = (side[f"{path.name} {ends} {mode}"].split("\n-- reparsed\n")[0]
                        for ends in ("lf", "crlf"))
            assert [line for line in lf.splitlines() if _STRUCTURE.match(line)] == \
                   [line for line in crlf.splitlines() if _STRUCTURE.match(line)], (path.name, mode)


def test_random_malformed_messages_lf_and_crlf_like_tcllib(interp, tcllib, tmp_path: Path):
    paths = []
    for seed in range(FUZZ_COUNT):
        paths.append(tmp_path / f"m{seed:04d}.eml")
        paths[-1].write_bytes(message(random.Random(50_000 + seed)))
    (tmp_path / "ref").mkdir()
    (tmp_path / "ours").mkdir()
    reference = _walk_ends_tcllib(paths, tmp_path / "ref")
    ours = _walk_ends_tclsmtp(interp, paths, tmp_path / "ours")
    assert set(ours) == set(reference)
    assert "".join(reference.values()).count("-- reparsed") >= FUZZ_COUNT
    eight_bit = {p.name for p in paths if any(b >= 0x80 for b in p.read_bytes())}
    for key in sorted(reference):
        expected, actual = reference[key], ours[key]
        if key.endswith(" file") and key.split()[0] in eight_bit and expected != actual:
            expected, actual = _documented_8bit_build(expected, actual)
        assert_same(expected, actual, key)
