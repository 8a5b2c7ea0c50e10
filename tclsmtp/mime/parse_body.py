"""The body of a parsed part as tcllib's ``mime::getbody`` gives it.

For a ``-file`` part tcllib reads ``blocksize`` bytes at a time and, for
base64 and quoted-printable, cuts each block after its last newline and
decodes the block on its own; so the result can depend on the block size,
and a decoding error surfaces as the bare message "error". For a
``-string`` part it decodes the whole body at once, and its errors keep
their message.
"""
from __future__ import annotations

from collections.abc import Iterator
from typing import BinaryIO

from tclsmtp.errors import ScriptError
from tclsmtp.mime.parse_tcl import base64_decode, native_path
from tclsmtp.mime.parser import FileSlice, ParsedPart, _open_error

_PLAIN = ("7bit", "8bit", "binary", "")


def _decode(encoding: str, text: str) -> str:
    if encoding == "base64":
        return base64_decode(text)
    from tclsmtp.mime.qp import qp_decode
    return qp_decode(text)


def _file_chunks(part: ParsedPart, f: BinaryIO, where: FileSlice,
                 blocksize: int) -> Iterator[str]:
    """The decoded pieces tcllib appends, block by block (before re-chunking)."""
    with f:
        pos = where.offset
        last = where.offset + where.count - 1
        f.seek(pos)
        while pos <= last:
            chunk = f.read(min(last - pos + 1, blocksize)).decode("latin-1")
            if not chunk:
                break  # the file shrank; tcllib would loop forever here
            pos += len(chunk)
            if part.encoding in ("base64", "quoted-printable"):
                x = chunk.rfind("\n")
                if x > 0 and x + 1 != len(chunk):
                    pos -= len(chunk) - (x + 1)
                    f.seek(pos)
                    chunk = chunk[:x + 1]
                yield _decode(part.encoding, chunk)
            elif part.encoding in _PLAIN:
                yield chunk
            else:
                raise ScriptError(f'Can\'t handle content encoding "{part.encoding}"')


def iter_body(part: ParsedPart, blocksize: int = 4096) -> Iterator[str]:
    """The fragments ``getbody -command`` hands to its callback as ``data``.

    Errors tcllib raises before the first callback (not a leaf, the file
    cannot be opened, a bad -string encoding) are raised here at once;
    later ones while iterating.
    """
    if part.value == "parts":
        raise ScriptError("MIME part isn't a leaf")
    if isinstance(part.body, FileSlice):
        try:
            f = open(native_path(part.body.path), "rb")
        except OSError as err:
            raise _open_error(part.body.path, err) from None
        pieces: Iterator[str] = _file_chunks(part, f, part.body, blocksize)
    elif part.encoding in ("base64", "quoted-printable"):
        pieces = iter((_decode(part.encoding, part.body or ""),))
    else:
        pieces = iter((part.body or "",))
    return _rechunk(pieces, blocksize)


def _rechunk(pieces: Iterator[str], blocksize: int) -> Iterator[str]:
    """tcllib's callback loop: hand out blocksize characters while more than
    blocksize are pending, then the rest."""
    fragment = ""
    for piece in pieces:
        fragment += piece
        at = 0
        while len(fragment) - at > blocksize:
            yield fragment[at:at + blocksize]
            at += blocksize
        fragment = fragment[at:]
    if fragment:
        yield fragment


def getbody(part: ParsedPart, decode: bool = False, blocksize: int = 4096) -> str:
    """``mime::getbody token ?-decode? ?-blocksize n?`` on a parsed part."""
    if isinstance(part.body, FileSlice) and part.value != "parts":
        pieces = iter_body(part, blocksize)
        try:
            result = "".join(pieces)
        except ScriptError:
            # tcllib's own -command re-raises any failure as just "error".
            raise ScriptError("error") from None
    else:
        result = "".join(iter_body(part, blocksize))
    if not decode:
        return result
    from tclsmtp.mime.charsets import convertfrom, is_supported, reversemapencoding
    charset = dict(part.params).get("charset", "US-ASCII")
    encoding = reversemapencoding(charset)
    if not encoding:
        raise ScriptError(f"-decode failed: can't reversemap charset {charset}")
    if not is_supported(encoding):
        raise ScriptError(f'unknown encoding "{encoding}"')
    return convertfrom(encoding, tcl_bytes(result))


def tcl_bytes(text: str) -> bytes:
    """The bytes Tcl 8.6 takes from a string used as a byte array: each
    character's low 8 bits, a character beyond U+FFFF being two (UTF-16
    surrogates, as Tcl 8.6 holds it)."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        pass
    out = bytearray()
    for c in text:
        code = ord(c)
        if code > 0xFFFF:
            code -= 0x10000
            out += bytes(((0xD800 | code >> 10) & 0xFF, (0xDC00 | code & 0x3FF) & 0xFF))
        else:
            out.append(code & 0xFF)
    return bytes(out)
