"""The mime parser against tcllib: every corpus file and a few hundred random
malformed messages are parsed by tclsh + tcllib (tests/mime/parse_walk.tcl)
and by tclsmtp.mime.parser, and what a script can see must be identical."""
from __future__ import annotations

import difflib
import random
from pathlib import Path

import pytest

from reference import run_tclsh

from parser_fuzz import message
from parser_render import CORPUS, WALK_SCRIPT, render, sections, unhex_lines

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
