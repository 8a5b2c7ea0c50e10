"""The compatibility harness behind `tclsmtp compat` (docs/compat-harness.md).

    from pathlib import Path
    from tclsmtp.compat import read_directives, compare, run_corpus

    result = compare(read_directives(Path("nightly.tcl")))
    print(result.headline()); print(result.diff)

A script runs under tclsh with tcllib and under `tclsmtp run`, each against
its own recording SMTP server; run-dependent values are normalized and the
rest is compared byte for byte.
"""
from __future__ import annotations

from .config import ConfigError, ScriptConfig, ServerConfig, read_directives
from .corpus import corpus_scripts, run_corpus
from .harness import Comparison, compare
from .report import render_report, write_report
from .sides import ReferenceMissing, find_reference

__all__ = ["ConfigError", "ScriptConfig", "ServerConfig", "read_directives", "compare",
           "Comparison", "run_corpus", "corpus_scripts", "render_report", "write_report",
           "ReferenceMissing", "find_reference"]
