"""Tcl lists as strings: splitting them as Tcl's ``llength``/``lindex`` do,
and writing them as Tcl's ``list`` does.

Primitives receive list-valued options (``-param {key value}``, ``-parts
{t1 t2}``, ``-servers``) as strings, and some results reach scripts as
serialized lists (tcllib smtp's ``diagnostic {...} args {} code 553``, which
scripts read with ``array set``), so both directions must be Tcl's exactly.
"""
from __future__ import annotations

from .errors import ScriptError

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Iterable, Union

    Element = Union[str, int, "list[Element]", "tuple[Element, ...]"]

_BRACE_PREFERRING = set("[$; \f\n\r\t\v")
_ESCAPES = {"\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\v": "\\v"}


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


_SPACE = " \t\n\v\f\r"
_SIMPLE_ESCAPES = {"a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "v": "\v"}
_HEX = "0123456789abcdefABCDEF"


def _backslash(s: str, i: int) -> tuple[str, int]:
    """The substitution for the backslash sequence at s[i] ('\\'), and the next index."""
    if i + 1 >= len(s):
        return "\\", i + 1
    c = s[i + 1]
    if c in _SIMPLE_ESCAPES:
        return _SIMPLE_ESCAPES[c], i + 2
    if c == "\n":
        j = i + 2
        while j < len(s) and s[j] in " \t":
            j += 1
        return " ", j
    if c in "xuU":
        limit = {"x": 2, "u": 4, "U": 8}[c]
        j = i + 2
        while j < len(s) and j - (i + 2) < limit and s[j] in _HEX:
            j += 1
        if j == i + 2:
            return c, i + 2
        code = int(s[i + 2:j], 16)
        return (chr(code & 0xFF) if c == "x" else chr(min(code, 0x10FFFF))), j
    if c in "01234567":
        j = i + 1
        # Up to three digits, the third only while the value fits a byte.
        while (j < len(s) and j - (i + 1) < 3 and s[j] in "01234567"
               and (j - (i + 1) < 2 or int(s[i + 1:j + 1], 8) <= 0o377)):
            j += 1
        return chr(int(s[i + 1:j], 8) & 0xFF), j
    return c, i + 2


def _list_error(message: str, detail: str) -> ScriptError:
    return ScriptError(message, ("TCL", "VALUE", "LIST", detail))


def split_list(s: str) -> list[str]:
    """The elements of the Tcl list ``s``; Tcl's error for a malformed one."""
    out: list[str] = []
    i, n = 0, len(s)
    while True:
        while i < n and s[i] in _SPACE:
            i += 1
        if i >= n:
            return out
        if s[i] == "{":
            depth, j = 1, i + 1
            while j < n:
                if s[j] == "\\" and j + 1 < n:
                    j += 2
                    continue
                if s[j] == "{":
                    depth += 1
                elif s[j] == "}":
                    depth -= 1
                    if depth == 0:
                        break
                j += 1
            if j >= n:
                raise _list_error("unmatched open brace in list", "BRACE")
            out.append(s[i + 1:j])
            i = j + 1
            if i < n and s[i] not in _SPACE:
                raise _list_error(
                    f'list element in braces followed by "{_junk(s, i)}" instead of space', "JUNK")
        elif s[i] == '"':
            parts: list[str] = []
            j = i + 1
            while j < n and s[j] != '"':
                if s[j] == "\\":
                    text, j = _backslash(s, j)
                    parts.append(text)
                else:
                    parts.append(s[j])
                    j += 1
            if j >= n:
                raise _list_error("unmatched open quote in list", "QUOTE")
            out.append("".join(parts))
            i = j + 1
            if i < n and s[i] not in _SPACE:
                raise _list_error(
                    f'list element in quotes followed by "{_junk(s, i)}" instead of space', "JUNK")
        else:
            parts = []
            j = i
            while j < n and s[j] not in _SPACE:
                if s[j] == "\\":
                    text, j = _backslash(s, j)
                    parts.append(text)
                else:
                    parts.append(s[j])
                    j += 1
            out.append("".join(parts))
            i = j


def _junk(s: str, i: int) -> str:
    end = i
    while end < len(s) and end - i < 20 and s[end] not in _SPACE:
        end += 1
    return s[i:end]
