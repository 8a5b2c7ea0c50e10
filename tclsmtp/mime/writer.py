"""Writing a part as tcllib's ``mime::copymessage``/``buildmessage`` does.

:func:`segments` yields tcllib's output as Tcl would hand it to ``puts``:
text (``str``, lines ending in ``\\n``) and raw file bytes (``bytes``).
``buildmessage`` is that stream through a channel with ``-translation
crlf`` and UTF-8 encoding: :func:`iter_bytes`. ``copymessage`` gives the
same stream to the script's channel, which applies its own configuration.

Bodies from ``-file`` are read while writing, in tcllib's 32766-byte
chunks, so any size streams in constant memory.
"""
from __future__ import annotations

import base64
import binascii
import functools
import os
import re
import stat

from ..errors import ScriptError
from . import charsets
from .state import FileBody, dead
from .parse_tcl import TCL_WHITESPACE, tcl_length
from .qp import qp_encode

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, Optional, Union
    from .model import MimePart

# tcllib reads -file bodies 32766 bytes at a time and encodes each chunk
# separately (so base64 lines meet at chunk ends): we do the same.
FILE_CHUNK = 32766
# tcllib 1.7.0 writes a canonical leaf's Content-Transfer-Encoding twice:
# in the header list (from getheader) and again before the body. Only the
# boundary repeat is known to be fixed in 1.7.2, so we keep this one; it is
# a single switch should 1.7.2 turn out to write it once.
REPEAT_TRANSFER_ENCODING = True
# Output is gathered into pieces of about this many characters/bytes.
OUT_CHUNK = 1 << 18


class BufferSize:
    """Marker: tcllib shrinks the channel's -buffersize before a string body."""


class AsciiText(bytes):
    """Text that is all ASCII, kept as bytes (base64 of file chunks): saves
    decoding and re-encoding 4/3 of a large attachment."""


BUFFERSIZE = BufferSize()
if TYPE_CHECKING:
    Segment = Union[str, bytes, BufferSize]

# Tcl's [string trimright] default set (Tcl 8.6): a line ending in one of
# these is "not a good line" for tcllib's encoding choice.
_TCL_SPACE = frozenset(TCL_WHITESPACE)
_TCL_SPACE_BYTES = frozenset(ord(c) for c in _TCL_SPACE if ord(c) < 256)
_NOT_ASCII_TEXT = re.compile(r"[^\t\n\x20-\x7e]")
# Bytes tcllib's encodingasciiP accepts (its CR test never matches, so a CR
# anywhere makes the line "not ascii"); newline separates lines.
_ASCII_BYTES = bytes([9, 10]) + bytes(range(32, 127))


def _check_alive(part: MimePart) -> None:
    if part.state.finalized:
        raise dead("header")


# ------------------------------------------------------------- headers

def boundary_of(part: MimePart) -> str:
    """The multipart boundary: the boundary parameter, else one generated in
    tcllib's form (``----- =_`` + base64 of an MD5 hex digest), kept."""
    for key, value in part.state.params:
        if key == "boundary" and value:
            return value
    if part.state.boundary is None:
        digest = os.urandom(16).hex().upper()      # (secrets.token_hex; cheaper to load)
        part.state.boundary = "----- =_" + base64.b64encode(digest.encode()).decode()
    return part.state.boundary


def delimiter_boundary(part: MimePart) -> str:
    """The boundary copymessage writes between subparts: a multipart's, else
    (a parsed part that is not multipart but has subparts: a message/* part
    whose inner multipart never closed, parsed from -file) its boundary
    parameter, else none, so that the delimiter lines are ``--`` and
    ``----`` (mime 1.7.2's state(boundary), set by getheader)."""
    if part.state.content.startswith("multipart/"):
        return boundary_of(part)
    return dict(part.state.params).get("boundary", "")


def content_type_value(part: MimePart) -> str:
    """tcllib's getContentType: the type, then each parameter quoted on its
    own continuation line; a multipart without a boundary gets one (once:
    1.7.0 wrote it twice, 1.7.2 once)."""
    state = part.state
    out = [state.content]
    has_boundary = False
    for key, value in state.params:
        out.append(f';\n              {key}="{value}"')
        has_boundary = has_boundary or (key == "boundary" and value != "")
    if state.content.startswith("multipart/") and not has_boundary:
        out.append(f';\n              boundary="{boundary_of(part)}"')
    return "".join(out)


def transfer_encoding(part: MimePart, flags: Optional[dict] = None) -> str:
    """tcllib's getTransferEncoding: the -encoding given, else its choice."""
    encoding = part.state.encoding or auto_encoding(part, flags)
    if encoding not in ("base64", "quoted-printable", "7bit", "8bit", "binary", ""):
        raise ScriptError(f'Can\'t handle content encoding "{encoding}"')
    return encoding


def header_list(part: MimePart, flags: Optional[dict] = None) -> list[tuple[str, str]]:
    """``mime::getheader token``: MIME-Version, the headers in order, the
    transfer encoding (if any) and Content-Type. ``flags``: _file_flags
    results already known (one build reads each file once)."""
    _check_alive(part)
    state = part.state
    result = [("MIME-Version", state.version)]
    for entry in state.headers.values():
        result.extend((entry.mixed, value) for value in entry.values)
    encoding = transfer_encoding(part, flags)
    if encoding:
        result.append(("Content-Transfer-Encoding", encoding))
    result.append(("Content-Type", content_type_value(part)))
    return result


# ---------------------------------------------------- encoding choice

def _open_error(path: str, err: OSError) -> ScriptError:
    message = _POSIX_TEXT.get(err.errno or 0, (os.strerror(err.errno or 0) or str(err)).lower())
    name = _POSIX_NAMES.get(err.errno or 0, "EIO")
    return ScriptError(f'couldn\'t open "{path}": {message}', ("POSIX", name, message))


_POSIX_TEXT = {2: "no such file or directory", 13: "permission denied", 20: "not a directory",
               21: "illegal operation on a directory", 36: "file name too long",
               40: "too many levels of symbolic links"}
_POSIX_NAMES = {2: "ENOENT", 13: "EACCES", 20: "ENOTDIR", 21: "EISDIR", 36: "ENAMETOOLONG",
                40: "ELOOP"}


def open_body(path: str):
    """The body file, opened for reading; Tcl's error if it cannot be read."""
    from .parse_tcl import native_path  # Tcl expands ~ and ~user in file names
    try:
        return open(native_path(path), "rb")
    except IsADirectoryError:
        # Tcl opens a directory and fails at the first read, naming the
        # channel after its descriptor.
        fd = os.open(native_path(path), os.O_RDONLY)
        os.close(fd)
        raise ScriptError(f'error reading "file{fd}": illegal operation on a directory',
                          ("POSIX", "EISDIR", "illegal operation on a directory")) from None
    except OSError as err:
        raise _open_error(path, err) from None


def _line_ok(line: str) -> bool:
    """tcllib's encodinglineP: short, no trailing blank, no leading "." or "From "."""
    return not (tcl_length(line) > 76 or (line and line[-1] in _TCL_SPACE)
                or line.startswith(".") or line.startswith("From "))


def _text_flags(text: str) -> tuple[bool, bool]:
    """(asciiP, lineP) over every line of a string body."""
    if text.isascii():
        # C-speed scans instead of a loop per line (a 34 MB body has 2 M).
        # ASCII is printable but for controls; tab and newline are allowed:
        # deleting those bytes must leave nothing (~6x quicker than
        # str.isprintable).
        ascii_ok = not text.encode("ascii").translate(None, _ASCII_BYTES)
        # Every line but the first is checked in one search whose pattern
        # starts with a newline (re finds those quickly: "\n." in text
        # costs ~1 ns a character, and splitting into lines more still).
        first = text.find("\n")
        lines_ok = ((first if first >= 0 else len(text)) <= 76
                    and not text.startswith((".", "From "))
                    and text[-1:] not in _ASCII_BLANKS
                    and _BAD_ASCII_LINE.search(text) is None)
        return ascii_ok, lines_ok
    ascii_ok = True
    for match in _NOT_ASCII_TEXT.finditer(text):
        code = ord(match.group())
        # tcllib looks at the low byte of each character only.
        if code <= 0xFF or not 32 <= (code & 0xFF) <= 126:
            ascii_ok = False
            break
    lines_ok = all(_line_ok(line) for line in text.split("\n"))
    return ascii_ok, lines_ok


# The Tcl blanks a line of ASCII text can end in (_line_ok's test).
_ASCII_BLANKS = frozenset(c for c in _TCL_SPACE if c < "\x80" and c != "\n")
# A newline that ends a line in a blank, or starts one with "." or "From "
# or longer than 76 characters.
_BAD_ASCII_LINE = re.compile(
    "\n(?:\\.|From |(?<=[%s]\n)|[^\n]{77})" % re.escape("".join(sorted(_ASCII_BLANKS))))


def _file_flags(path: str) -> tuple[bool, bool]:
    """(asciiP, lineP) over a file, read in blocks, stopping once both fail."""
    ascii_ok = lines_ok = True
    with open_body(path) as f:
        carry = b""
        while ascii_ok or lines_ok:
            block = f.read(1 << 16)
            if not block:
                if carry and lines_ok:
                    lines_ok = _line_ok(carry.decode("latin-1"))
                break
            if ascii_ok and block.translate(None, _ASCII_BYTES):
                ascii_ok = False
            if lines_ok:
                lines = (carry + block).split(b"\n")
                carry = lines.pop()
                if len(carry) > 76:
                    lines_ok = False
                    carry = b""
                lines_ok = lines_ok and all(_byte_line_ok(line) for line in lines)
    return ascii_ok, lines_ok


def _byte_line_ok(line: bytes) -> bool:
    return not (len(line) > 76 or (line and line[-1] in _TCL_SPACE_BYTES)
                or line.startswith(b".") or line.startswith(b"From "))


def auto_encoding(part: MimePart, flags: Optional[dict] = None) -> str:
    """tcllib's ``mime::encoding``: the transfer encoding it picks itself."""
    state = part.state
    major = state.content.split("/", 1)[0]
    if major in ("audio", "image", "video"):
        return "base64"
    if major in ("message", "multipart") and "/" in state.content:
        return ""
    if state.value == "parts":
        return ""
    if state.value == "file":
        assert isinstance(state.body, FileBody)
        path = state.body.path
        if flags is None:
            ascii_ok, lines_ok = _file_flags(path)
        else:
            if path not in flags:
                flags[path] = _file_flags(path)
            ascii_ok, lines_ok = flags[path]
    else:
        # one scan of the body per build (the header and the body both ask)
        part_key = id(part)
        known = None if flags is None else flags.get(part_key)
        if known is None:
            body = state.body
            assert not isinstance(body, FileBody)       # a -file part has its own branch
            text = body.decode("latin-1") if isinstance(body, bytes) else (body or "")
            known = _text_flags(text)
            if flags is not None:
                flags[part_key] = known
        ascii_ok, lines_ok = known
    if state.content.startswith("text/"):
        if not ascii_ok:
            for key, value in state.params:
                if key == "charset":
                    value = value.lower()
                    if value != "us-ascii" and not re.fullmatch(r"iso-8859-[1-8]", value):
                        return "base64"
                    break
        if not lines_ok:
            return "quoted-printable"
        return ""
    if not ascii_ok or not lines_ok:
        return "base64"
    return ""


# ---------------------------------------------------------- bodies

def _b64_lines(data: bytes, eol: bytes = b"\n") -> bytes:
    """tcllib's base64::encode: 76-character lines joined by \\n (or
    ``eol``), no final newline. (base64.encodebytes without its last
    newline, but one encode and C-level slicing: a per-line Python loop
    dominated a large attachment's send.)"""
    encoded = binascii.b2a_base64(data, newline=False)
    return eol.join(map(encoded.__getitem__, _line_slices(len(encoded))))


@functools.lru_cache(maxsize=8)
def _line_slices(length: int) -> tuple[slice, ...]:
    """The 76-character lines of ``length`` characters of base64 (a -file
    body has two lengths: its 32766-byte chunks and the last one)."""
    return tuple(slice(i, i + 76) for i in range(0, length, 76))


def _b64(data: bytes) -> str:
    return _b64_lines(data).decode("ascii")


def _convert(encoding: str, data: str) -> str:
    """base64 or quoted-printable of ``data`` (code points 0-255)."""
    if encoding == "base64":
        return _b64(data.encode("latin-1"))
    return qp_encode(data)


def _string_for_converter(part: MimePart) -> str:
    """A -string body as the bytes the converter encodes (code points 0-255).

    tcllib encodes only the low byte of characters above U+00FF (losing
    them); we encode such text in the part's charset (UTF-8 by default).
    """
    body = part.state.body
    if isinstance(body, bytes):
        return body.decode("latin-1")
    assert not isinstance(body, FileBody)
    text = body or ""
    if not text or max(text) <= "\xff":
        return text
    charset = ""
    for key, value in part.state.params:
        if key == "charset":
            charset = value
            break
    tcl_encoding = charsets.reversemapencoding(charset) if charset else ""
    if tcl_encoding and charsets.is_supported(tcl_encoding):
        data = charsets.convertto(tcl_encoding, text)
    else:
        data = text.encode("utf-8", "surrogatepass")
    return data.decode("latin-1")


def _file_chunks(body: FileBody) -> Iterator[bytes]:
    """The bytes of a -file body in tcllib's 32766-byte reads."""
    with open_body(body.path) as f:
        f.seek(body.offset)
        size = -1 if body.to_eof else body.count
        while size != 0:
            want = FILE_CHUNK if size < 0 or size > FILE_CHUNK else size
            data = f.read(want)
            if not data:
                break
            if size > 0:
                size -= len(data)
            yield data


class CrlfAsciiText(AsciiText):
    """AsciiText whose lines already end in CR LF (for iter_bytes)."""


class Counted(int):
    """In segments(count=True): the length in iter_bytes's bytes of a body
    that was measured, not built."""


def _b64_crlf_length(size: int) -> int:
    """Bytes of _b64_lines(size bytes, CR LF)."""
    encoded = 4 * ((size + 2) // 3)
    return encoded + 2 * ((encoded + 75) // 76 - 1)


def _b64_file_length(f: Any, body: FileBody) -> Optional[int]:
    """What the base64 of a -file body comes to in iter_bytes, from the
    file's size (its 32766-byte reads each encoded apart); None where reads
    could come short (not a regular file)."""
    if not stat.S_ISREG(os.fstat(f.fileno()).st_mode):
        return None
    available = max(os.fstat(f.fileno()).st_size - body.offset, 0)
    size = available if body.to_eof or body.count < 0 else min(body.count, available)
    full, rest = divmod(size, FILE_CHUNK)
    return full * _b64_crlf_length(FILE_CHUNK) + (_b64_crlf_length(rest) if rest else 0)


class _Nested:
    """A subordinate to write in place (see segments)."""
    __slots__ = ("part",)

    def __init__(self, part: MimePart) -> None:
        self.part = part


def segments(part: MimePart, crlf: bool = False, count: bool = False) -> Iterator[Segment]:
    """tcllib's copymessageaux for ``part``, as the text and bytes it puts.
    ``crlf``: base64 of -file bodies comes as CrlfAsciiText, with CR LF
    line ends (saves iter_bytes a pass over the largest part of a message).
    ``count`` (with crlf): base64 -file bodies come as their Counted length,
    unread.

    Nested parts are written with an explicit stack, not ``yield from``:
    a chain of generators costs each piece one step per level (quadratic)
    and Python's recursion limit stops it near 1000 levels; tcllib's own
    limit is Tcl's (see docs/compat.md). A ``-file`` read for the encoding
    choice is read once per build, not once per part of that file.
    """
    flags: dict[Union[str, int], tuple[bool, bool]] = {}  # by path, or id of a part
    stack = [_part_segments(part, flags, crlf, count)]
    while stack:
        try:
            seg = next(stack[-1])
        except StopIteration:
            stack.pop()
            continue
        if isinstance(seg, _Nested):
            stack.append(_part_segments(seg.part, flags, crlf, count))
        else:
            yield seg  # type: ignore[misc]  # (a Counted is an int: only with count=True)


def _part_segments(part: MimePart, flags: dict[Union[str, int], tuple[bool, bool]],
                   crlf: bool, count: bool) -> Iterator[Union[Segment, "Counted", _Nested]]:
    _check_alive(part)
    state = part.state
    headers = header_list(part, flags)
    yield "".join(f"{name}: {value}\n" for name, value in headers)
    converter = ""
    if state.value != "parts" and state.canonical:
        encoding = transfer_encoding(part, flags)
        if encoding and REPEAT_TRANSFER_ENCODING:
            yield f"Content-Transfer-Encoding: {encoding}\n"
        if encoding in ("base64", "quoted-printable"):
            converter = encoding
    if state.value == "file":
        body = state.body
        assert isinstance(body, FileBody)
        if count and crlf and converter == "base64":
            with open_body(body.path) as f:       # its error, as when built
                length = _b64_file_length(f, body)
            if length is not None:
                yield "\n"
                if length:
                    yield Counted(length)
                return
        chunks = _file_chunks(body)
        first = next(chunks, None)  # opens the file: its error comes before the blank line
        yield "\n"
        if first is not None:
            for data in _chain(first, chunks):
                if converter == "base64":
                    yield CrlfAsciiText(_b64_lines(data, b"\r\n")) if crlf \
                        else AsciiText(_b64_lines(data))
                elif converter:
                    yield qp_encode(data.decode("latin-1"))
                else:
                    yield data
    elif state.value == "parts":
        if state.content.startswith("message/"):
            yield "\n"
            if state.parts:
                yield _Nested(state.parts[0])
        else:
            boundary = delimiter_boundary(part)
            for sub in state.parts:
                yield f"\n--{boundary}\n"
                yield _Nested(sub)
            yield f"\n--{boundary}--\n"
    else:
        yield BUFFERSIZE
        yield "\n"
        body = state.body
        assert not isinstance(body, FileBody)
        if converter:
            yield _convert(converter, _string_for_converter(part))
        elif isinstance(body, bytes):
            yield body
        else:
            yield body or ""


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    yield first
    yield from rest


def iter_bytes(part: MimePart) -> Iterator[bytes]:
    """``mime::buildmessage``'s bytes, in pieces: CRLF line ends, text in
    UTF-8, file bytes as they are, -file bodies read as it goes."""
    pending: list[bytes] = []
    size = 0
    for seg in segments(part, crlf=True):
        if isinstance(seg, str):
            data = seg.replace("\n", "\r\n").encode("utf-8", "surrogatepass")
        elif isinstance(seg, CrlfAsciiText):
            data = seg
        elif isinstance(seg, bytes):  # file bytes, or AsciiText
            data = seg.replace(b"\n", b"\r\n")
        else:
            continue
        pending.append(data)
        size += len(data)
        if size >= OUT_CHUNK:
            yield b"".join(pending)
            pending, size = [], 0
    if pending:
        yield b"".join(pending)


def _has_file_body(part: MimePart) -> bool:
    state = part.state
    return state.value == "file" or any(_has_file_body(p) for p in state.parts or ())


def message_length(part: MimePart) -> Optional[int]:
    """The length of iter_bytes(part), base64 -file bodies measured from
    their files' sizes instead of encoded (SIZE= of a large attachment).
    None for a message without -file bodies: building it is as quick."""
    _check_alive(part)
    if not _has_file_body(part):
        return None
    total = 0
    for seg in segments(part, crlf=True, count=True):
        if isinstance(seg, Counted):
            total += seg
        elif isinstance(seg, str):
            total += len(seg.encode("utf-8", "surrogatepass")) + seg.count("\n")
        elif isinstance(seg, CrlfAsciiText):
            total += len(seg)
        elif isinstance(seg, bytes):
            total += len(seg) + seg.count(b"\n")
    return total


def copy_steps(part: MimePart) -> Iterator[tuple[str, Union[str, bytes]]]:
    """copymessage's steps for the Tcl loop: ("data", text or file bytes) to
    put on the channel, or ("buffersize", "") where tcllib reconfigures it.

    Consecutive pieces of one kind are joined into pieces of ~256 KiB; file
    bytes stay bytes (a Tcl byte array: the same characters 0-255 that
    tcllib puts, and safe for NUL).
    """
    pending: list = []
    size = 0
    kind: type = str
    steps = segments(part)
    while True:
        try:
            seg = next(steps, None)
        except ScriptError:
            # What tcllib had written before the error stays written.
            if pending:
                yield ("data", ("" if kind is str else b"").join(pending))
            raise
        if seg is None:
            break
        if isinstance(seg, AsciiText):
            # Tcl writes a string to a channel faster than a byte array.
            seg = seg.decode("ascii")
        if isinstance(seg, BufferSize) or type(seg) is not kind or size >= OUT_CHUNK:
            if pending:
                yield ("data", ("" if kind is str else b"").join(pending))
                pending, size = [], 0
            if isinstance(seg, BufferSize):
                yield ("buffersize", "")
                continue
            kind = type(seg)
        pending.append(seg)
        size += len(seg)
    if pending:
        yield ("data", ("" if kind is str else b"").join(pending))


def body_text(part: MimePart) -> str:
    """The body as it appears in the message (transfer-encoded, \\n line
    ends), for EmailMessage.get_payload(); bytes above 0x7F surrogate-escaped."""
    out: list[bytes] = []
    started = False
    for seg in segments(part):
        if isinstance(seg, BufferSize):
            continue
        if not started:
            # Skip the header block and the blank line that ends it.
            if seg == "\n":
                started = True
            continue
        out.append(seg.encode("utf-8", "surrogatepass") if isinstance(seg, str) else bytes(seg))
    return b"".join(out).decode("ascii", "surrogateescape")
