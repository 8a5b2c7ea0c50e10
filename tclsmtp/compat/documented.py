"""docs/compat.md, the list of deliberate differences, as the harness reads it.

The wheel carries it as tclsmtp/docs/compat.md; a checkout (or an editable
install) reads docs/compat.md at the top of the repository.
"""
from __future__ import annotations

import difflib
import re
from pathlib import Path
from typing import Optional


def compat_doc_path() -> Path:
    here = Path(__file__).resolve().parent.parent
    packaged = here / "docs" / "compat.md"          # wheel: tclsmtp/docs
    if packaged.is_file():
        return packaged
    return here.parent / "docs" / "compat.md"       # checkout or editable install


def entries(markdown: Optional[str] = None) -> list[str]:
    """Paragraphs and list items of docs/compat.md (or of ``markdown``), each
    on one line, without list markers and bold marks."""
    if markdown is None:
        markdown = compat_doc_path().read_text(encoding="utf-8")
    found: list[str] = []
    current: list[str] = []
    for line in markdown.splitlines():
        starts_item = line.lstrip().startswith(("- ", "* "))
        if not line.strip() or starts_item or line.startswith("#"):
            if current:
                found.append(" ".join(current))
            current = []
        if line.strip():
            current.append(line.strip())
    if current:
        found.append(" ".join(current))
    return [e.lstrip("-* ").replace("**", "") for e in found if not e.startswith("#")]


def documented_entry(text: str, markdown: Optional[str] = None) -> Optional[str]:
    """The entry that contains ``text`` (line breaks read as spaces), or None."""
    text = " ".join(text.replace("**", "").split())
    if not text:
        return None
    for entry in entries(markdown):
        if text in entry:
            return entry
    return None


def _title(entry: str) -> str:
    # An entry's first sentence names it; compare with that, not the whole text.
    return re.split(r"(?<=[.:])\s", entry, maxsplit=1)[0]


def closest_entries(text: str, n: int = 3, markdown: Optional[str] = None) -> list[str]:
    """The first sentences of the ``n`` entries most like ``text``."""
    titles = [_title(e) for e in entries(markdown)]
    lowered = {t.lower(): t for t in titles}
    matches = difflib.get_close_matches(text.lower(), list(lowered), n=n, cutoff=0.0)
    return [lowered[m] for m in matches]
