"""Tcl string semantics the parser relies on (no Tcl needed).

tcllib's parser is built from Tcl commands whose behaviour differs from the
obvious Python counterparts: ``string trim`` strips a specific whitespace
set, ``split ""`` is the empty list, ``array get`` returns entries in hash
table order, tcllib's ``base64::decode`` drops every non-alphabet
character before a strict decode, and file names expand ``~``. These
helpers reproduce them.
"""
from __future__ import annotations

import binascii
import os
import pwd

from tclsmtp.errors import ScriptError

# Tcl 8.6's default set for ``string trim``/``trimleft``/``trimright``
# (measured: every code point below U+3100, plus U+FEFF).
TCL_WHITESPACE = ("\x00\t\n\x0b\x0c\r \x85\xa0\u1680\u180e"
                  "\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b"
                  "\u2028\u2029\u202f\u205f\u2060\u3000\ufeff")


def trim(s: str) -> str:
    """``string trim s``."""
    return s.strip(TCL_WHITESPACE)


def trimleft(s: str) -> str:
    """``string trimleft s``."""
    return s.lstrip(TCL_WHITESPACE)


def trimright(s: str) -> str:
    """``string trimright s``."""
    return s.rstrip(TCL_WHITESPACE)


def tolower(s: str) -> str:
    """``string tolower s``: one character in, one character out.

    Python's ``str.lower`` uses full case mapping (U+0130 becomes two
    characters); Tcl maps each character on its own.
    """
    if s.isascii():
        return s.lower()
    return "".join(low if len(low := c.lower()) == 1 else low[0] for c in s)


def native_path(name: str) -> str:
    """The file a Tcl 8.6 file name means: ``~`` and ``~/...`` are under
    $HOME, ``~user/...`` under that user's home directory."""
    if "\0" in name:                      # no system call takes it: Tcl's refusal
        raise ScriptError(f'couldn\'t open "{name}": filename is invalid on this platform')
    if not name.startswith("~"):
        return name
    user, slash, rest = name[1:].partition("/")
    if not user:
        home = os.environ.get("HOME")
        if home is None:
            raise ScriptError("couldn't find HOME environment variable to expand path",
                              ("TCL", "VALUE", "PATH", "HOMELESS"))
    else:
        try:
            home = pwd.getpwnam(user).pw_dir
        except KeyError:
            raise ScriptError(f'user "{user}" doesn\'t exist',
                              ("TCL", "VALUE", "PATH", "NOUSER")) from None
    return home + slash + rest


def tcl_length(s: str) -> int:
    """``string length s`` in Tcl 8.6, which stores characters outside the
    BMP as two UTF-16 surrogates and counts both."""
    if s.isascii():
        return len(s)
    return len(s) + sum(1 for c in s if ord(c) > 0xFFFF)


def _hash(key: str) -> int:
    """Tcl 8.6's string hash (TclHashObjKey) over the key's UTF-8 form."""
    # Tcl keeps NUL as the two bytes C0 80 (modified UTF-8).
    data = key.encode("utf-8", "surrogatepass").replace(b"\x00", b"\xc0\x80")
    if not data:
        return 0
    result = data[0]
    for byte in data[1:]:
        result = (result + (result << 3) + byte) & 0xFFFFFFFF
    return result


def array_order(pairs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """What ``array get`` returns after ``set a(k) v`` for each pair in order.

    Tcl 8.6's hash table: 4 buckets to start with, new entries go to the
    head of their bucket's chain, the table grows 4x once it holds 3 entries
    per bucket, and iteration walks buckets in index order.
    """
    values: dict[str, str] = {}
    buckets: list[list[str]] = [[], [], [], []]
    for key, value in pairs:
        if key not in values:
            buckets[_hash(key) & (len(buckets) - 1)].insert(0, key)
            if len(values) + 1 >= 3 * len(buckets):
                grown: list[list[str]] = [[] for _ in range(4 * len(buckets))]
                for chain in buckets:
                    for k in chain:
                        grown[_hash(k) & (len(grown) - 1)].insert(0, k)
                buckets = grown
        values[key] = value
    return [(k, values[k]) for chain in buckets for k in chain]


_B64_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
_B64_SET = frozenset(_B64_ALPHABET)
_NOT_B64 = bytes(b for b in range(256) if chr(b) not in _B64_SET)


def base64_decode(s: str) -> str:
    """tcllib's ``base64::decode`` (Tcl 8.6 branch), bytes as code points 0-255.

    It drops every character outside the alphabet (padding included), then
    ``binary decode base64 -strict`` fails only on a lone trailing character.
    """
    try:
        kept = s.encode("latin-1").translate(None, _NOT_B64)
    except UnicodeEncodeError:  # characters beyond U+00FF are dropped as well
        kept = "".join(c for c in s if c in _B64_SET).encode("ascii")
    if len(kept) % 4 == 1:
        pos = len(kept) - 1
        raise ScriptError(f'invalid base64 character "{chr(kept[pos])}" at position {pos}',
                          ("TCL", "BINARY", "DECODE", "INVALID"))
    kept += b"=" * (-len(kept) % 4)
    return binascii.a2b_base64(kept).decode("latin-1")
