"""Tcl list formatting for results that reach a script as strings.

tcllib's smtp returns refusals as serialized Tcl lists (``diagnostic {...}
args {} code 553``); scripts parse them with ``array set``. These helpers
quote elements the way Tcl's ``list`` command does, so the strings match.
"""
from __future__ import annotations

from typing import Iterable, Union

_BRACE_PREFERRING = set("[$; \f\n\r\t\v")
_ESCAPES = {"\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}

Element = Union[str, int, "list[Element]", "tuple[Element, ...]"]


def quote(element: str, first: bool = False) -> str:
    """One list element as Tcl 8.6's ``list`` writes it (TclScanElement)."""
    if element == "":
        return "{}"
    forbid_none = prefer_brace = prefer_escape = require_escape = False
    hash_first = first and element[0] == "#"
    if element[0] in '{"' or hash_first:
        forbid_none = prefer_brace = True
    depth = 0
    i, n = 0, len(element)
    while i < n:
        c = element[i]
        if c == "{":
            depth += 1
        elif c == "}":
            depth -= 1
            if depth < 0:
                require_escape = True
        elif c in ']"':
            forbid_none = prefer_escape = True
        elif c in _BRACE_PREFERRING:
            forbid_none = prefer_brace = True
        elif c == "\\":
            if i == n - 1 or element[i + 1] == "\n":
                require_escape = True          # a final backslash, or backslash-newline
                i += 1
                continue
            if element[i + 1] in "{}\\":
                i += 1
            forbid_none = prefer_brace = True
        i += 1
    if depth != 0:
        require_escape = True
    if require_escape:
        return _escape(element, hash_first, braces=True)
    if prefer_escape and not prefer_brace:
        return _escape(element, hash_first, braces=False)
    if forbid_none or hash_first:
        return "{" + element + "}"
    return element


def _escape(element: str, hash_first: bool, braces: bool) -> str:
    out = ["\\"] if hash_first else []
    for c in element:
        if c in ']["$; \\' or (braces and c in "{}"):
            out.append("\\" + c)
        else:
            out.append(_ESCAPES.get(c, c))
    return "".join(out)


def tcl_list(items: Iterable[Element]) -> str:
    """A Tcl list of ``items``; nested lists and tuples become sublists."""
    parts = []
    for n, item in enumerate(items):
        if isinstance(item, (list, tuple)):
            item = tcl_list(item)
        parts.append(quote(str(item), first=(n == 0)))
    return " ".join(parts)


_BACKSLASH = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_LIST_SPACE = " \t\n\r\v\f"


def _backslash(s: str, i: int) -> tuple[str, int]:
    """Tcl backslash substitution of the sequence at s[i] == '\\'."""
    if i + 1 >= len(s):
        return "\\", i + 1
    c = s[i + 1]
    if c in _BACKSLASH:
        return _BACKSLASH[c], i + 2
    if c == "\n":                       # backslash-newline and following blanks
        j = i + 2
        while j < len(s) and s[j] in " \t":
            j += 1
        return " ", j
    if c in "xuU":
        width = {"x": 2, "u": 4, "U": 8}[c]
        j = i + 2
        while j < len(s) and j < i + 2 + width and s[j] in "0123456789abcdefABCDEF":
            j += 1
        if j == i + 2:
            return c, i + 2
        value = int(s[i + 2:j], 16)
        return (chr(value) if value <= 0x10FFFF else "\ufffd"), j
    if c in "01234567":
        j = i + 1
        while j < len(s) and j < i + 4 and s[j] in "01234567":
            j += 1
        return chr(int(s[i + 1:j], 8) & 0xFF), j
    return c, i + 2


def split_list(s: str) -> list[str]:
    """A Tcl list's elements, with Tcl's errors for malformed lists."""
    from tclsmtp.errors import ScriptError
    items: list[str] = []
    i, n = 0, len(s)
    while True:
        while i < n and s[i] in _LIST_SPACE:
            i += 1
        if i >= n:
            return items
        if s[i] == "{":
            depth, j = 1, i + 1
            while j < n:
                if s[j] == "\\":
                    j += 2
                    continue
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if depth:
                raise ScriptError("unmatched open brace in list", ("TCL", "VALUE", "LIST", "BRACE"))
            items.append(s[i + 1:j])
            i = j + 1
            if i < n and s[i] not in _LIST_SPACE:
                raise ScriptError(f'list element in braces followed by "{_junk(s, i)}" instead of space',
                                  ("TCL", "VALUE", "LIST", "JUNK"))
        elif s[i] == '"':
            out, j = [], i + 1
            while j < n and s[j] != '"':
                if s[j] == "\\":
                    ch, j = _backslash(s, j)
                    out.append(ch)
                else:
                    out.append(s[j])
                    j += 1
            if j >= n:
                raise ScriptError("unmatched open quote in list", ("TCL", "VALUE", "LIST", "QUOTE"))
            items.append("".join(out))
            i = j + 1
            if i < n and s[i] not in _LIST_SPACE:
                raise ScriptError(f'list element in quotes followed by "{_junk(s, i)}" instead of space',
                                  ("TCL", "VALUE", "LIST", "JUNK"))
        else:
            out, j = [], i
            while j < n and s[j] not in _LIST_SPACE:
                if s[j] == "\\":
                    ch, j = _backslash(s, j)
                    out.append(ch)
                else:
                    out.append(s[j])
                    j += 1
            items.append("".join(out))
            i = j


def _junk(s: str, i: int) -> str:
    """The text Tcl quotes after a closing brace or quote (up to a space)."""
    j = i
    while j < len(s) and s[j] not in _LIST_SPACE:
        j += 1
    return s[i:j]
