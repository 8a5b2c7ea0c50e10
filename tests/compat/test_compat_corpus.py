"""The whole corpus of legacy scripts through the harness.

Four passes, each comparing every script in parallel: tcllib against itself
(the scripts and the normalization are deterministic, so any difference in
the other passes is tclsmtp's), then tcllib against tclsmtp under `tclsmtp
run` (the in-process bridge), the same with the recording server offering
PIPELINING (which tclsmtp uses and tcllib does not), then tclsmtp under the
reference tclsh with TCLLIBPATH from `tclsmtp tcl-path` (the helper-process
transport). A script matches, or it is marked with a difference documented in
docs/compat.md and differs exactly as its .expected.diff file says. The reference is tcllib 2.0
(`--tcllib` ../shared/reference/tcllib-2.0/modules).
"""
from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from tclsmtp.compat.config import read_directives
from tclsmtp.compat.corpus import corpus_scripts, run_corpus
from tclsmtp.compat.documented import documented_entry

from reference import REFERENCE_TCLLIB

ROOT = Path(__file__).resolve().parents[2]
CORPUS = ROOT / "compat" / "scripts"
SCRIPTS = corpus_scripts(CORPUS)
NAMES = [s.name for s in SCRIPTS]


@pytest.fixture(scope="module")
def self_check(tcllib):
    return {r.config.script.name: r for r in run_corpus(CORPUS, self_check=True, tcllib=str(REFERENCE_TCLLIB))}


@pytest.fixture(scope="module")
def against_tclsmtp(tcllib):
    return {r.config.script.name: r for r in run_corpus(CORPUS, tcllib=str(REFERENCE_TCLLIB))}


@pytest.fixture(scope="module")
def against_helper(tcllib):
    return {r.config.script.name: r
            for r in run_corpus(CORPUS, tcllib=str(REFERENCE_TCLLIB), transport="helper")}


def _offer_pipelining(config):
    return dataclasses.replace(config, server=dataclasses.replace(config.server, pipelining=True))


@pytest.fixture(scope="module")
def against_tclsmtp_pipelining(tcllib):
    return {r.config.script.name: r for r in run_corpus(CORPUS, tcllib=str(REFERENCE_TCLLIB),
                                                        adjust=_offer_pipelining)}


def test_the_corpus_has_at_least_40_scripts():
    assert len(SCRIPTS) >= 40


def test_every_script_states_a_valid_setup():
    for script in SCRIPTS:
        read_directives(script)           # raises ConfigError on a bad directive


def test_marked_differences_are_documented():
    # Found as the report finds it: within one entry, line breaks read as
    # spaces, so re-wrapping docs/compat.md does not unmark a script.
    for script in SCRIPTS:
        config = read_directives(script)
        if config.difference is None:
            continue
        assert documented_entry(config.difference) is not None, \
            f"{script.name}: difference {config.difference!r} is not in docs/compat.md"
        assert config.expected_diff_path.is_file(), \
            f"{script.name}: {config.expected_diff_path.name} is missing"


@pytest.mark.parametrize("name", NAMES)
def test_reference_is_deterministic(self_check, name):
    result = self_check[name]
    assert result.matches, result.headline() + "\n" + result.diff


@pytest.mark.parametrize("name", NAMES)
def test_script_behaves_as_with_tcllib(against_tclsmtp, name):
    result = against_tclsmtp[name]
    assert result.ok, result.headline() + "\n" + result.diff


@pytest.mark.parametrize("name", NAMES)
def test_script_behaves_as_with_tcllib_under_plain_tclsh(against_helper, name):
    result = against_helper[name]
    assert result.ok, result.headline() + "\n" + result.diff


def test_plain_tclsh_side_really_ran_tclsmtp(against_helper):
    # A script that differs from tcllib as documented can only pass if the
    # helper side loaded tclsmtp (a silent fallback to tcllib would match).
    documented = [r for r in against_helper.values() if r.verdict == "documented"]
    assert documented, "no documented difference showed: did plain tclsh load tcllib?"


@pytest.mark.parametrize("name", NAMES)
def test_script_behaves_as_with_tcllib_under_pipelining(against_tclsmtp_pipelining, name):
    result = against_tclsmtp_pipelining[name]
    if result.verdict == "changed-difference" and result.expected_diff is not None:
        # The EHLO reply has one line more (250-PIPELINING): a documented
        # difference shows the same lines, further down the -debug output.
        hunk = re.compile(r"^@@ [^@]* @@$", re.M)
        assert hunk.sub("@@", result.diff) == hunk.sub("@@", result.expected_diff), result.diff
        return
    assert result.ok, result.headline() + "\n" + result.diff
