"""RFC 2047 encoded words the way tcllib's ``word_encode``, ``word_decode``
and ``field_decode`` make and read them.

Strings are Tcl strings: a byte string is a ``str`` of code points 0-255.
"""
from __future__ import annotations

import base64
import re

from ..errors import ScriptError
from . import charsets
from .qp import qp_decode, qp_encode

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Union

    Number = Union[int, float]


def _too_short(maxlength_text: str) -> ScriptError:
    return ScriptError(f"maxlength {maxlength_text} too short for chosen charset and encoding")


def word_encode(charset: str, method: str, text: str, charset_encoded: bool = True,
                maxlength: Number = 66, maxlength_text: str = "66") -> str:
    """``mime::word_encode``: encoded words joined by ``"\\n "``.

    ``charset`` is a Tcl encoding name; with ``charset_encoded`` the text is
    bytes in that encoding. Each word holds whole characters and is at most
    ``maxlength`` long. ``maxlength_text`` is the option as given, for the
    error message. tcllib 1.7.2 also computes the UTF-8 byte length of the
    text (1.7.0: ``string bytelength``) but never uses it, so the output is
    the same for both.
    """
    if charset not in charsets.ENCODINGS:
        raise ScriptError(f"unknown charset '{charset}'")
    mime_name = charsets.ENCODINGS[charset]
    if mime_name == "":
        raise ScriptError(f"invalid charset '{charset}'")
    if method not in ("base64", "quoted-printable"):
        raise ScriptError(f"unknown method '{method}', must be base64 or quoted-printable")
    require_codec(charset)
    unencoded = charsets.convertfrom(charset, text) if charset_encoded else text
    if unencoded == "":
        return ""
    room = maxlength - len(mime_name) - 7  # =?charset?X?...?=
    words = []
    if method == "base64":
        if room < 4:
            raise _too_short(maxlength_text)
        room = (room // 4) * 3 if isinstance(room, int) else (room / 4) * 3
        count = 0
        while count < len(unencoded):
            chunk = bytearray()
            while len(chunk) < room and count < len(unencoded):
                encoded = charsets.convertto(charset, unencoded[count])
                if len(chunk) + len(encoded) > room:
                    if not chunk:
                        # tcllib loops forever here; a script gets an error instead.
                        raise _too_short(maxlength_text)
                    break
                chunk += encoded
                count += 1
            words.append(f"=?{mime_name}?B?{base64.b64encode(bytes(chunk)).decode('ascii')}?=")
    else:
        if room < 1:
            raise _too_short(maxlength_text)
        count = 0
        while count < len(unencoded):
            word = ""
            while len(word) < room and count < len(unencoded):
                char_bytes = charsets.convertto(charset, unencoded[count]).decode("latin-1")
                piece = qp_encode(char_bytes, encoded_word=True)
                if len(piece) > room:
                    raise _too_short(maxlength_text)
                if len(word) + len(piece) > room:
                    break
                word += piece
                count += 1
            words.append(f"=?{mime_name}?Q?{word}?=")
    return "\n ".join(words)


def require_codec(tcl_encoding: str) -> None:
    """Fail as a script error when we cannot convert this Tcl encoding."""
    if not charsets.is_supported(tcl_encoding):
        # Tcl has it (gb12345); we have no table for it (docs/compat.md).
        raise ScriptError(f"tclsmtp: no converter for encoding \"{tcl_encoding}\"",
                          ("TCLSMTP", "ENCODING", tcl_encoding))


_B64_ALPHABET_JUNK = re.compile(r"[^A-Za-z0-9+/]")


def base64_decode(text: str) -> str:
    """tcllib's ``base64::decode`` (Tcl 8.6 path): drop every character
    outside the alphabet (padding included), then decode strictly."""
    clean = _B64_ALPHABET_JUNK.sub("", text)
    if len(clean) % 4 == 1:
        raise ScriptError(f'invalid base64 character "{clean[-1]}" at position {len(clean) - 1}',
                          ("TCL", "BINARY", "DECODE", "BASE64"))
    padded = clean + "=" * (-len(clean) % 4)
    return base64.b64decode(padded).decode("latin-1")


# Tcl's "." and [^?] both match newlines.
_WORD = re.compile(r"=\?([^?]+)\?(.)\?([^?]*)\?=", re.DOTALL)


def word_decode(encoded: str) -> list[str]:
    """``mime::word_decode``: [tcl-encoding method bytes] of the first encoded word."""
    match = _WORD.search(encoded)
    if match is None:
        raise ScriptError(f"malformed word-encoded expression '{encoded}'")
    charset, method, payload = match.groups()
    tcl_encoding = charsets.reversemapencoding(charset)
    if tcl_encoding == "":
        raise ScriptError(f"unknown charset '{charset}'")
    if method in ("b", "B"):
        return [tcl_encoding, "base64", base64_decode(payload)]
    if method in ("q", "Q"):
        return [tcl_encoding, "quoted-printable", qp_decode(payload, encoded_word=True)]
    raise ScriptError(f"unknown method '{method}', must be B or Q")


_FIELD = re.compile(r"(.*?)(=\?(?:[^?]+)\?(?:.)\?(?:[^?]*)\?=)(.*)\Z", re.DOTALL)
# Tcl's [string is space]: Unicode white space, NUL excluded.
_TCL_SPACE = set("\t\n\x0b\x0c\r \x85\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005"
                 "\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff")


def field_decode(field: str) -> str:
    """``mime::field_decode``: every encoded word decoded to text; blanks
    between (and before) encoded words are dropped, other text kept."""
    result = []
    while True:
        match = _FIELD.match(field)
        if match is None:
            break
        prefix, encoded, field = match.groups()
        if prefix and not all(c in _TCL_SPACE for c in prefix):
            result.append(prefix)
        tcl_encoding, _, data = word_decode(encoded)
        require_codec(tcl_encoding)
        result.append(charsets.convertfrom(tcl_encoding, data))
    result.append(field)
    return "".join(result)
