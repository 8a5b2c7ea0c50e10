"""The Tcl-level tests (tests/tcl/*.test, tcltest) run under tclsh+tcllib and
under `tclsmtp run`; each file must pass under both."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from reference import tcllib_env

TESTS = sorted((Path(__file__).parent / "tcl").glob("*.test"))


def _summary(output: str) -> tuple[int, int, int, int]:
    m = re.search(r"Total\s+(\d+)\s+Passed\s+(\d+)\s+Skipped\s+(\d+)\s+Failed\s+(\d+)", output)
    assert m, f"no tcltest summary in:\n{output}"
    return tuple(int(x) for x in m.groups())  # type: ignore[return-value]


@pytest.mark.parametrize("runner", ["tcllib", "tclsmtp"])
@pytest.mark.parametrize("test_file", TESTS, ids=[t.name for t in TESTS])
def test_tcl_file(test_file, runner, tcllib):
    cmd = ["tclsh"] if runner == "tcllib" else [sys.executable, "-m", "tclsmtp", "run"]
    env = {**os.environ, **(tcllib_env() if runner == "tcllib" else {})}   # tcllib 2.0
    p = subprocess.run([*cmd, str(test_file), "-verbose", "e"], capture_output=True, text=True,
                       timeout=300, env=env)
    output = p.stdout + p.stderr
    total, passed, skipped, failed = _summary(output)
    assert failed == 0, output
    assert passed > 0
