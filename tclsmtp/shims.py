"""``tclsmtp shims DIR``: ``tclsh`` and ``wish`` commands that are tclsmtp.

Each is a two-line sh script that execs this Python by its absolute path
(``python -m tclsmtp run``, with ``--tk`` for wish), so it works from a
cron job's minimal PATH and as the target of ``#!/usr/bin/env tclsh``.
"""
from __future__ import annotations

import os
import shlex
import sys
from pathlib import Path

SHIM = """\
#!/bin/sh
# Written by `tclsmtp shims`: {name} with tclsmtp's smtp and mime (tclsmtp run{tk}).
exec {python} -m tclsmtp run{tk} "$@"
"""


def write_shims(directory: Path) -> list[Path]:
    directory = Path(directory).absolute()
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, tk in (("tclsh", ""), ("wish", " --tk")):
        path = directory / name
        path.write_text(SHIM.format(name=name, tk=tk, python=shlex.quote(sys.executable)),
                        encoding="utf-8")
        os.chmod(path, 0o755)
        written.append(path)
    return written
