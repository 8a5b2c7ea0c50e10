"""Quoted-printable exactly as tcllib's ``::mime::qp_encode`` / ``qp_decode``.

tcllib's codec is not RFC 2045's (nor the stdlib's ``quopri``): it leaves
``\\x1F`` and characters above U+00FF alone, encodes ``\\r`` as ``=0D``,
breaks lines after 73 characters (74 with the ``=``), and only escapes a
space or tab that ends a line or the whole text. Messages written by
tcllib carry these bytes, so we reproduce them rather than "fix" them.

Strings here are Tcl strings: a byte string is a ``str`` of code points
0-255 (what a Tcl byte array looks like from Python).
"""
from __future__ import annotations

import re

# Characters tcllib replaces by =XX (body text and RFC 2047 encoded words).
_BODY_SPECIALS = re.compile(r"[\x00-\x08\x0B-\x1E\x21-\x24\x3D\x40\x5B-\x5E\x60\x7B-\xFF]")
_WORD_SPECIALS = re.compile(r"[\x00-\x08\x0B-\x1E\x21-\x24\x3D\x40\x5B-\x5E\x60\x7B-\xFF\x09\x5F\x3F]")

# tcllib's fix-ups after escaping, in its order (Tcl's [string map] order).
# Its "\n.\n" entry maps to "=2E\n": the newline before a lone dot is lost
# (so "a\n.\nb" decodes back as "a.\nb"). Messages tcllib wrote have it.
_BODY_FIXUPS = ((" \n", "=20\n"), ("\t\n", "=09\n"), ("\n.\n", "=2E\n"), ("\nFrom ", "\n=46rom "))
_WORD_FIXUPS = ((" ", "_"),) + _BODY_FIXUPS

_LINE_LIMIT = 72  # tcllib keeps lines while they are at most 72 characters long


def string_map(pairs: tuple[tuple[str, str], ...], s: str) -> str:
    """Tcl's ``string map``: at each position the first matching key wins,
    and replaced text is never scanned again."""
    if not s:
        return s
    firsts = {k[0] for k, _ in pairs if k}
    out: list[str] = []
    i, n = 0, len(s)
    start = 0
    while i < n:
        if s[i] in firsts:
            for key, value in pairs:
                if key and s.startswith(key, i):
                    out.append(s[start:i])
                    out.append(value)
                    i += len(key)
                    start = i
                    break
            else:
                i += 1
        else:
            i += 1
    out.append(s[start:])
    return "".join(out)


def _escape(match: re.Match[str]) -> str:
    return "=%02X" % ord(match.group())


def _break_line(line: str, out: list[str]) -> None:
    """Append ``line`` split into soft-broken pieces, as tcllib does."""
    while len(line) > _LINE_LIMIT:
        chunk = line[:_LINE_LIMIT + 1]
        # Don't split an =XX escape: tcllib's regexp (=|=.)$ finds the
        # leftmost of "=" + one char or a trailing "=".
        if chunk[-2] == "=":
            cut = _LINE_LIMIT - 1
        elif chunk[-1] == "=":
            cut = _LINE_LIMIT
        else:
            cut = _LINE_LIMIT + 1
        out.append(line[:cut])
        out.append("=\n")
        line = line[cut:]
    out.append(line)


def qp_encode(s: str, encoded_word: bool = False, no_softbreak: bool = False) -> str:
    """``::mime::qp_encode string ?encoded_word? ?no_softbreak?``."""
    specials = _WORD_SPECIALS if encoded_word else _BODY_SPECIALS
    s = specials.sub(_escape, s)
    s = string_map(_WORD_FIXUPS if encoded_word else _BODY_FIXUPS, s)
    if not no_softbreak:
        out: list[str] = []
        for index, line in enumerate(s.split("\n")):
            if index:
                out.append("\n")
            _break_line(line, out)
        s = "".join(out)
    if s.endswith(" "):
        s = s[:-1] + "=20"
    elif s.endswith("\t"):
        s = s[:-1] + "=09"
    return s


_TRAILING_BLANKS = re.compile(r"[ \t]+\n")
_HEX_ESCAPE = re.compile(r"=([0-9a-fA-F]{2})")


def qp_decode(s: str, encoded_word: bool = False) -> str:
    """``::mime::qp_decode string ?encoded_word?``.

    Only ``\\n`` ends a line (``=\\r\\n`` is not a soft break for tcllib),
    invalid escapes stay as they are, and blanks before a line end or at
    the end of the text are dropped.
    """
    if encoded_word:
        s = s.replace("_", " ")
    s = _TRAILING_BLANKS.sub("\n", s)
    s = s.rstrip(" \t")
    s = s.replace("=\n", "")
    return _HEX_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), s)
