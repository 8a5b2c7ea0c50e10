"""The layers stay as docs/architecture.md draws them: transports ->
primitive table -> engines, no import cycles, no tkinter below the
transports. The contracts are import-linter's, in pyproject.toml."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_LINT = ("import sys; from importlinter.cli import lint_imports; "
         "sys.exit(lint_imports(config_filename='pyproject.toml', no_cache=True, no_logo=True))")


def test_import_contracts_are_kept():
    done = subprocess.run([sys.executable, "-c", _LINT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
