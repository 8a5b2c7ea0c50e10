"""The mime parser against tcllib: every corpus file and a few hundred random
malformed messages are parsed by tclsh + tcllib (tests/mime/parse_walk.tcl)
and by tclsmtp.mime.parser, and what a script can see must be identical."""
from __future__ import annotations

import difflib
import random
import re
from pathlib import Path

import pytest

from reference import run_tclsh

from tclsmtp.errors import ScriptError
from tclsmtp.mime.parse_body import getbody
from tclsmtp.mime.parser import parse_file, parse_string

from parser_fuzz import message
from parser_render import CORPUS, WALK_SCRIPT, render, sections, tcl_list, unhex_lines

CORPUS_FILES = sorted(CORPUS.glob("*.eml"))
FUZZ_COUNT = 600


def tcllib_walk(paths: list[Path]) -> dict[str, str]:
    run = run_tclsh(WALK_SCRIPT.read_text(), *map(str, paths), timeout=600)
    assert run.returncode == 0, run.stderr
    return sections(run.stdout)


def assert_same(expected: str, actual: str, what: str) -> None:
    if expected != actual:
        diff = "\n".join(difflib.unified_diff(
            unhex_lines(expected).splitlines(), unhex_lines(actual).splitlines(),
            "tcllib", "tclsmtp", lineterm="", n=2))
        pytest.fail(f"{what} differs from tcllib:\n{diff}")


@pytest.fixture(scope="module")
def corpus_reference(tcllib) -> dict[str, str]:
    return tcllib_walk(CORPUS_FILES)


def test_corpus_is_there():
    assert len(CORPUS_FILES) >= 90


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda p: p.name)
def test_corpus_file_like_tcllib(path: Path, corpus_reference: dict[str, str]):
    mine = sections(render([path]))
    assert set(mine) == {f"{path.name} {mode}" for mode in ("file", "bytes", "utf8")}
    for key, text in mine.items():
        assert_same(corpus_reference[key], text, key)


def test_random_malformed_messages_like_tcllib(tcllib, tmp_path: Path):
    paths = []
    for seed in range(FUZZ_COUNT):
        path = tmp_path / f"m{seed:04d}.eml"
        path.write_bytes(message(random.Random(seed)))
        paths.append(path)
    reference = tcllib_walk(paths)
    mine = sections(render(paths))
    assert set(mine) == set(reference)
    # The generator must reach deep structures and errors alike.
    joined = "".join(reference.values())
    assert joined.count("\n    part -") >= 20
    assert joined.count("init-error") >= 100
    for key in sorted(reference):
        assert_same(reference[key], mine[key], key)


_DEPTH_SCRIPT = r"""
package require mime
foreach path $argv {
    foreach mode {-file -string} {
        if {$mode eq "-file"} {
            set t [mime::initialize -file $path]
        } else {
            set f [open $path rb]; set t [mime::initialize -string [read $f]]; close $f
        }
        set depth 0
        while {![catch {mime::getproperty $t parts} parts]} {
            set t [lindex $parts 0]
            incr depth
        }
        puts [list $depth [mime::getheader $t -names] [binary encode hex [mime::getbody $t]]]
    }
}
"""


def _deep_files(tmp_path: Path, n: int) -> list[Path]:
    deep_messages = "Content-Type: message/rfc822\n\n" * n + "X-Inner: y\n\ninner body\n"
    deep_multiparts = ("".join(f"Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"
                               for i in range(n))
                       + "X-Inner: z\n\nleaf" + "".join(f"\n--b{i}--" for i in reversed(range(n))))
    paths = []
    for name, text in (("messages", deep_messages), ("multiparts", deep_multiparts)):
        paths.append(tmp_path / f"{name}{n}.eml")
        paths[-1].write_text(text)
    return paths


def _innermost(paths: list[Path]) -> list[str]:
    """What _DEPTH_SCRIPT prints, from the Python parser."""
    got = []
    for path in paths:
        for part in (parse_file(str(path)), parse_string(path.read_bytes())):
            depth = 0
            while part.value == "parts":
                part, depth = part.parts[0], depth + 1
            got.append(f"{depth} {' '.join(n for n, _ in part.headers)} {getbody(part).encode('latin-1').hex()}")
    return got


def test_nesting_like_tcllib(tcllib, tmp_path: Path):
    paths = _deep_files(tmp_path, 400)
    run = run_tclsh(_DEPTH_SCRIPT, *map(str, paths), timeout=600)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines()[0].startswith("400 X-Inner ")
    assert _innermost(paths) == run.stdout.splitlines()


def test_deeper_nesting_than_tcllib(tcllib, tmp_path: Path):
    """docs/compat.md: tcllib stops reading Content-Type near depth 495 (Tcl's
    recursion limit inside its catch); we parse any depth."""
    paths = _deep_files(tmp_path, 3000)
    run = run_tclsh(_DEPTH_SCRIPT, *map(str, paths), timeout=600)
    assert run.returncode == 0, run.stderr
    for line in run.stdout.splitlines():
        depth, names, body = line.split(" ", 2)
        assert 480 < int(depth) < 500 and names == "{}"
        assert b"Content-Type: " in bytes.fromhex(body)  # read as text, not parsed
    inner, leaf = b"inner body\n".hex(), b"leaf".hex()
    assert _innermost(paths) == [f"3000 X-Inner {inner}"] * 2 + [f"3000 X-Inner {leaf}"] * 2



_TILDE_SCRIPT = r"""
package require mime
foreach name $argv {
    if {[catch {mime::initialize -file $name} t opts]} {
        puts [list error $t [dict get $opts -errorcode]]
    } else {
        puts [list ok [mime::getheader $t -names] [binary encode hex [mime::getbody $t]]]
    }
}
"""


def test_file_names_with_tilde_like_tcllib(tcllib, tmp_path: Path, monkeypatch):
    """Tcl 8.6 expands ~ and ~user in file names; tcllib's -file gets that."""
    (tmp_path / "m.eml").write_bytes(b"Subject: home\n\nbody\n")
    names = ["~/m.eml", "~/missing.eml", "~nosuchuser4711/m.eml", "~", str(tmp_path / "m.eml")]
    run = run_tclsh(_TILDE_SCRIPT, *names, env={"HOME": str(tmp_path)})
    assert run.returncode == 0, run.stderr
    monkeypatch.setenv("HOME", str(tmp_path))
    got = []
    for name in names:
        try:
            part = parse_file(name)
        except ScriptError as err:
            got.append(tcl_list(("error", err.message, tcl_list(err.errorcode))))
        else:
            got.append(tcl_list(("ok", " ".join(n for n, _ in part.headers),
                                 getbody(part).encode("latin-1").hex())))
    # The channel number in the directory error is Tcl's own (docs/compat.md).
    def channel(lines: list[str]) -> list[str]:
        return [re.sub(r'"file\d+"', '"fileN"', line) for line in lines]
    assert channel(got) == channel(run.stdout.splitlines())
