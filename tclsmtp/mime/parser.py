"""Parsing a message as tcllib mime's ``mime::initialize -file``/``-string``
(without ``-canonical``) does: ``::mime::parsepart`` and its helpers.

The result is a tree of :class:`ParsedPart`, one per token tcllib would
create, holding what tcllib's state array holds after parsing. tcllib's
quirks are kept on purpose, because scripts see them:

- a header line ending in CR loses the CR (mime 1.7.2; 1.7.0 also gained a
  stray "]"), so CRLF and LF headers parse alike;
- in a ``-string`` multipart, each line of a subpart loses one trailing CR,
  so subpart bodies have LF line ends; ``-file`` subparts are byte slices;
- a ``-string`` multipart without its closing boundary is an error, while
  ``-file`` fakes the boundary at the end and makes that part
  application/octet-stream;
- a bad Content-Type is ignored (the part stays text/plain).

Text is Tcl's: characters, not bytes. ``-string`` input is a ``str`` (a
Tcl byte array arrives as code points 0-255; ``bytes`` are taken that way);
``-file`` input is read in binary mode, so its characters are the bytes.
"""
from __future__ import annotations

import bisect
import mmap
import re
import os
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from functools import partial
from typing import BinaryIO, Union

from tclsmtp.errors import ScriptError
from tclsmtp.mime.parse_tcl import (base64_decode, native_path, tcl_length, tolower, trim,
                                     trimright)
from tclsmtp.mime.parse_type import parse_content_type


@dataclass(frozen=True)
class FileSlice:
    """Bytes ``offset .. offset+count-1`` of the file named ``path`` (read when
    needed, as tcllib does: it reopens the file by name for each getbody)."""
    path: str  # the name as the script gave it (a Tcl name: see parse_tcl.native_path)
    offset: int
    count: int  # may be negative where tcllib's arithmetic makes it so


Body = Union[str, FileSlice]


@dataclass
class ParsedPart:
    """One parsed part: the state tcllib keeps for its token."""
    cid: int  # the token is "<parent token>-<cid>"; 0 for the part given to initialize
    value: str  # tcllib's state(value): "string" or "file" (a leaf) or "parts"
    content: str  # getproperty content: lower-case "type/subtype"
    params: list[tuple[str, str]]  # getproperty params, in tcllib's (hash table) order
    encoding: str  # getproperty encoding: lower-cased Content-Transfer-Encoding, "" if none
    version: str  # MIME-Version value as written (last one wins), "1.0" if none
    headers: list[tuple[str, list[str]]]  # (name as first written, values in order) for
    # every header but Content-Type, Content-Transfer-Encoding, Content-MD5, MIME-Version,
    # in order of first appearance: getheader -names gives the names, getheader NAME the values
    body: Body | None  # the undecoded body: str ("string"), FileSlice ("file"); for a -file
    # message/* the slice the child was parsed from; None otherwise
    parts: list[ParsedPart] = field(default_factory=list)  # subordinates (value == "parts")
    last_cid: int = 0  # tcllib's state(cid): children numbered so far, dropped ones included
    dropped: list[ParsedPart] = field(default_factory=list)  # subordinates tcllib numbered,
    # then gave up on (cut short by a missing boundary and unparsable): in no parts list, but
    # their tokens exist (finalize -subordinates dynamic reaches them); each holds what was
    # parsed before the error (content "" if tcllib had not set one)

    def header(self, name: str) -> list[str] | None:
        """The values of header ``name`` (any case), or None if absent."""
        lower = tolower(name)
        for mixed, values in self.headers:
            if tolower(mixed) == lower:
                return values
        return None

    def size(self) -> int:
        """``mime::getsize``: body length (3/4 of it for base64), or the sum
        over the subordinates."""
        total = 0
        pending = [self]  # no recursion: nesting may be deep
        while pending:
            part = pending.pop()
            if part.value == "parts":
                pending.extend(part.parts)
                continue
            if isinstance(part.body, FileSlice):
                size = part.body.count
            else:
                size = tcl_length(part.body or "")
            if part.encoding == "base64":
                size = (size * 3 + 2) // 4
            total += size
        return total


Source = Union[str, bytes, "os.PathLike[str]"]
# A parse in progress: yields the parses of its subordinates, is sent their
# results (or has their ScriptError thrown in), returns the part.
_Parse = Generator["_Parse", ParsedPart, ParsedPart]
_Children = Generator[_Parse, ParsedPart, None]


def parse(source: Source) -> ParsedPart:
    """``mime::initialize -string`` (str or bytes) or ``-file`` (a path object).

    Raises ScriptError with tcllib's message for what tcllib refuses.
    """
    if isinstance(source, (str, bytes)):
        return parse_string(source)
    return parse_file(os.fspath(source))


def parse_string(text: str | bytes) -> ParsedPart:
    """``mime::initialize -string text``; bytes are Tcl byte-array characters."""
    if isinstance(text, bytes):
        text = text.decode("latin-1")
    return _run(_StringParser().parse(text, 0, 0, end=len(text)))


def parse_file(path: str) -> ParsedPart:
    """``mime::initialize -file path``: bodies are located, not read. ``path``
    is a Tcl file name (``~`` expands)."""
    try:
        f = open(native_path(path), "rb")
    except IsADirectoryError:
        raise _directory_error(path) from None
    except OSError as err:
        raise _open_error(path, err) from None
    with f:
        try:
            parser = _FileParser(path, f)
        except OSError as err:
            raise _posix_error(f'error during seek on "{path}"', err) from None
        try:
            return _run(parser.parse(0, parser.size, 0))
        finally:
            parser.close()


# ------------------------------------------------------------------ headers


class _Header:
    """parsepart's header loop, writing into the part as tcllib writes its
    state array (so a part that fails half-way keeps what it got)."""

    def __init__(self, part: ParsedPart) -> None:
        self.part = part
        self.has_content = False
        self._index: dict[str, int] = {}

    def field(self, vline: str) -> None:
        """One unfolded header line (continuations joined with "\\n")."""
        part = self.part
        colon = vline.find(":")
        mixed = trimright(vline[:colon]) if colon > 0 else ""
        if not mixed:
            raise ScriptError(f"improper line in header: {vline}")
        value = trim(vline[colon + 1:])
        lower = tolower(mixed)
        if lower == "content-type":
            if self.has_content:
                raise ScriptError(f"multiple Content-Type fields starting with {vline}")
            parsed = parse_content_type(value)
            if parsed is not None:
                part.content, part.params = parsed
                self.has_content = True
        elif lower == "content-md5":
            pass
        elif lower == "content-transfer-encoding":
            encoding = tolower(value)
            if part.encoding and part.encoding != encoding:
                raise ScriptError(
                    f"multiple Content-Transfer-Encoding fields starting with {vline}")
            part.encoding = encoding
        elif lower == "mime-version":
            part.version = value
        elif lower in self._index:
            part.headers[self._index[lower]][1].append(value)
        else:
            self._index[lower] = len(part.headers)
            part.headers.append((mixed, [value]))

    def finish(self) -> None:
        if not self.has_content:
            self.part.content, self.part.params = "text/plain", [("charset", "us-ascii")]


def _new_part(cid: int, value: str, sink: list[ParsedPart] | None) -> ParsedPart:
    """A part as initializeaux sets it up before parsing; ``sink`` gets it at
    once, so that a parent still has it if parsing fails."""
    part = ParsedPart(cid=cid, value=value, content="", params=[], encoding="", version="1.0",
                      headers=[], body=None)
    if sink is not None:
        sink.append(part)
    return part


def _read_header(next_line, part: ParsedPart) -> None:
    """parsepart's header loop; ``next_line()`` gives ``(line, blank)``."""
    header = _Header(part)
    vline = ""
    while True:
        line, blank = next_line()
        if not blank and line.endswith("\r"):
            # mime 1.7.2 drops the CR (1.7.0 also appended a stray "]").
            blank = len(line) == 1
            line = line[:-1]
        if not blank and line[:1] in (" ", "\t"):
            vline += "\n" + line
            continue
        if not vline:
            if blank:
                break
            vline = line
            continue
        header.field(vline)
        if blank:
            break
        vline = line
    header.finish()


def _boundary(part: ParsedPart) -> str:
    boundary = dict(part.params).get("boundary", "")
    if not boundary:
        raise ScriptError(f"boundary parameter is missing in {part.content}")
    if not trim(boundary):
        raise ScriptError(f"boundary parameter is empty in {part.content}")
    return boundary


def _strip_cr(line: str) -> tuple[str, int]:
    """A multipart line without one trailing CR, and its line-end length."""
    # tcllib: [string last \r $line] == $x - 1, which an empty line also meets.
    if not line or line[-1] == "\r":
        return line[:-1], 2
    return line, 1


# ------------------------------------------------------------------ -string


class _StringParser:
    """parsepart over a Tcl string, from the line that starts at ``offset``.

    tcllib splits a ``-string`` into lines and hands a subpart its lines
    (``-lineslist``, each without one trailing CR). Here a list of lines L
    is the string "\\n".join(L), which splits back into L (or, for [""],
    into no line at all, which parses the same), so everything works on
    offsets into one string and nothing is split.

    A part is the window ``text[offset:end]``: a subpart without CRs to
    drop is its parent's window, not a copy, so deep nesting takes memory
    linear in the message (copies made every level quadratic: 3.4 GB for
    10,000 levels).
    """

    def __init__(self) -> None:
        self._indexes: dict[int, tuple[str, dict[str, list[int]], bool]] = {}

    def parse(self, text: str, offset: int, cid: int,
              sink: list[ParsedPart] | None = None, *, end: int) -> _Parse:
        part = _new_part(cid, "string", sink)
        current = _read_string_header(text, offset, end, part)
        if not part.content.startswith("multipart/"):
            if not part.content.startswith("message/"):
                part.body = text[current:end]
                return part
            # tcllib keeps this body too, but nothing reads it once parsed.
            part.value = "parts"
            part.last_cid = 1  # numbered before decoding, which may fail
            if part.encoding == "base64":
                text = base64_decode(text[current:end])
                current, end = 0, len(text)
            elif part.encoding == "quoted-printable":
                text = _qp_decode(text[current:end])
                current, end = 0, len(text)
            child = partial(self.parse, text, current, 1, end=end)
            del text  # deep message/rfc822 nesting: hold no copies
            yield from _add_message_child(part, child)
            return part
        part.value = "parts"
        yield from self._multipart(part, text, current, end)
        return part

    def _multipart(self, part: ParsedPart, text: str, pos: int, window_end: int) -> _Children:
        boundary = _boundary(part)
        opener, closer = "--" + boundary, "--" + boundary + "--"
        index, has_cr = self._boundary_lines(text)
        openers, closers = index.get(opener, []), index.get(closer, [])
        initial = pos
        inside = False
        start = pos  # where the lines of the current subpart begin
        while True:
            # tcllib reads every line; only the opening and closing boundary
            # lines change anything here (a line that merely starts with the
            # boundary is skipped), so look those up.
            begin = _first_at(openers, pos, window_end)
            closing = _first_at(closers, pos, window_end)
            if closing != -1 and (begin == -1 or closing < begin):
                begin, line = closing, closer
            elif begin != -1:
                line = opener
            else:
                raise ScriptError(f"end-of-string encountered while parsing {part.content}")
            newline = text.find("\n", begin, window_end)
            pos = (newline if newline != -1 else window_end) + 1
            forced = False
            if not inside:
                if line == opener:
                    inside, start = True, pos
                    continue
                # A closing boundary before any opening one: tcllib tries the
                # lines starting with the boundary seen so far as a part.
                inside, forced = True, True
                lines = "\n".join(_traced(text, initial, pos, window_end, opener))
                child = partial(self.parse, lines, 0, part.last_cid + 1, end=len(lines))
            elif has_cr and start < begin and text.find("\r", start, begin - 1) != -1:
                lines = _without_one_cr(text[start:begin - 1])
                child = partial(self.parse, lines, 0, part.last_cid + 1, end=len(lines))
            else:  # no CR to drop: the subpart is a window on this text
                child = partial(self.parse, text, start, part.last_cid + 1,
                                end=max(begin - 1, start))
            part.last_cid += 1
            yield from _add_child(part, child, forced)
            if line == closer:
                return
            start = pos

    def _boundary_lines(self, text: str) -> tuple[dict[str, list[int]], bool]:
        """Where each line starting with "--" starts (by its text without
        one trailing CR), and whether ``text`` holds a CR at all; found once
        per text, so nested multiparts do not each scan their whole window
        (10,000 levels were quadratic)."""
        cached = self._indexes.get(id(text))
        if cached is None or cached[0] is not text:
            index: dict[str, list[int]] = {}
            for match in _BOUNDARY_LINE.finditer(text):
                line = match.group()
                index.setdefault(line[:-1] if line.endswith("\r") else line,
                                 []).append(match.start())
            cached = self._indexes[id(text)] = (text, index, "\r" in text)
        return cached[1], cached[2]


_BOUNDARY_LINE = re.compile(r"^--[^\n]*", re.M)


def _first_at(positions: list[int], pos: int, window_end: int) -> int:
    """The first position at or after ``pos`` and before ``window_end``, or -1."""
    i = bisect.bisect_left(positions, pos)
    return positions[i] if i < len(positions) and positions[i] < window_end else -1


def _traced(text: str, pos: int, until: int, window_end: int, opener: str) -> list[str]:
    """The lines starting with ``opener`` from ``pos`` up to ``until``,
    without one trailing CR each (tcllib's lines of a forced part)."""
    traced = []
    while pos < until:
        if text.startswith(opener, pos, window_end):
            begin = pos
        else:
            begin = text.find("\n" + opener, pos, min(until, window_end))
            if begin == -1:
                break
            begin += 1
        newline = text.find("\n", begin, window_end)
        stop = newline if newline != -1 else window_end
        traced.append(_strip_cr(text[begin:stop])[0])
        pos = stop + 1
    return traced


def _end_of_lines(text: str) -> int:
    """The offset just past the last line (Tcl splits "" into no line)."""
    return len(text) + 1 if text else 0


def _without_one_cr(lines: str) -> str:
    """Each line without one trailing CR, as tcllib's multipart loop leaves it."""
    lines = lines.replace("\r\n", "\n")
    return lines[:-1] if lines.endswith("\r") else lines


def _read_string_header(text: str, offset: int, window_end: int, part: ParsedPart) -> int:
    """Reads the header of the lines of ``text[offset:window_end]`` into
    ``part``; returns where the body starts."""
    # past the last line; no line at all in an empty window (as Tcl splits "")
    end = window_end + 1 if window_end > offset else offset
    pos = offset

    def next_line() -> tuple[str, bool]:
        nonlocal pos
        if pos >= end:
            return "", True
        newline = text.find("\n", pos, window_end)
        if newline == -1:
            line, pos = text[pos:window_end], window_end + 1
        else:
            line, pos = text[pos:newline], newline + 1
        return line, not line

    _read_header(next_line, part)
    return pos


def _add_child(part: ParsedPart, child_parse: Callable[[list[ParsedPart]], _Parse],
               forced: bool) -> _Children:
    """Parse a subordinate; one cut short by a faked or early closing boundary
    becomes application/octet-stream, or is dropped if it does not parse."""
    sink: list[ParsedPart] = []
    if not forced:
        try:
            part.parts.append((yield child_parse(sink)))
        except ScriptError:
            # tcllib lists a subordinate before parsing it: a forced
            # ancestor that drops this part still reaches it (finalize).
            part.parts.extend(sink)
            raise
        return
    try:
        child = yield child_parse(sink)
    except ScriptError:
        part.dropped.extend(sink)
        return
    child.content = "application/octet-stream"
    part.parts.append(child)


def _add_message_child(part: ParsedPart,
                       child_parse: Callable[[list[ParsedPart]], _Parse]) -> _Children:
    """The one subordinate of a message/* part. tcllib lists it before
    parsing it, so a failed one stays listed (as far as it got)."""
    sink: list[ParsedPart] = []
    try:
        part.parts.append((yield child_parse(sink)))
    except ScriptError:
        part.parts.extend(sink)
        raise


def _run(parse: _Parse) -> ParsedPart:
    """Drive nested parses with an explicit stack instead of Python recursion:
    tcllib accepts any nesting depth (measured: 50000 levels)."""
    stack = [parse]
    sent: ParsedPart | None = None
    error: ScriptError | None = None
    while True:
        try:
            if error is not None:
                pending, error = error, None
                child = stack[-1].throw(pending)
            else:
                child = stack[-1].send(sent)  # type: ignore[arg-type]
        except StopIteration as done:
            stack.pop()
            if not stack:
                return done.value
            sent = done.value
            continue
        except ScriptError as err:
            stack.pop()
            if not stack:
                raise
            error, sent = err, None
            continue
        stack.append(child)
        sent = None


def _qp_decode(text: str) -> str:
    from tclsmtp.mime.qp import qp_decode  # helper A2's tcllib-exact codec
    return qp_decode(text)


# ------------------------------------------------------------------ -file


def _posix_error(prefix: str, err: OSError) -> ScriptError:
    import errno as errno_module
    reason = (err.strerror or str(err)).lower()
    name = errno_module.errorcode.get(err.errno or 0, "EUNKNOWN")
    return ScriptError(f"{prefix}: {reason}", ("POSIX", name, reason))


def _open_error(path: str, err: OSError) -> ScriptError:
    return _posix_error(f'couldn\'t open "{path}"', err)


def _directory_error(path: str) -> ScriptError:
    """Tcl opens a directory and fails at the first read, naming its channel
    "fileN" after the descriptor (ours may differ from the script's)."""
    try:
        fd = os.open(native_path(path), os.O_RDONLY)
    except OSError as err:
        return _open_error(path, err)
    os.close(fd)
    return ScriptError(f'error reading "file{fd}": illegal operation on a directory',
                       ("POSIX", "EISDIR", "illegal operation on a directory"))


class _FileParser:
    """parsepart over a slice of a file, reading lines as Tcl's ``gets`` does."""

    def __init__(self, path: str, f: BinaryIO) -> None:
        self.path = path
        self.f = f
        self.size = f.seek(0, os.SEEK_END)
        # Boundary lines are searched for in a memory map: like tcllib's
        # gets loop it touches only the file, without holding it in memory.
        try:
            self.data: mmap.mmap | bytes = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        except (ValueError, OSError):  # empty or not mappable
            f.seek(0)
            self.data = f.read()

    def close(self) -> None:
        if isinstance(self.data, mmap.mmap):
            self.data.close()

    def _next_boundary_line(self, pos: int, last: int, opener: bytes) -> tuple[int, int] | None:
        """Start and length of the first line starting with ``opener`` that
        begins at a line start in ``pos..last`` (what tcllib's gets loop
        stops at), or None."""
        data, k = self.data, len(opener)
        if data[pos:pos + k] == opener:
            begin = pos
        else:
            newline = data.find(b"\n" + opener, pos, last + k + 1)
            if newline == -1 or newline + 1 > last:
                return None
            begin = newline + 1
        end = data.find(b"\n", begin)
        return begin, (end if end != -1 else self.size) - begin

    def _past(self, pos: int, last: int, content: str) -> int:
        """Where tcllib's line count stands after reading every line that
        starts in ``pos..last``: past ``last``, or at end of file (an error)."""
        newline = self.data.find(b"\n", last) if last < self.size else -1
        if newline != -1:
            return newline + 1
        if last < self.size:
            return self.size + 1  # an unterminated last line counts one more
        end = self.size if pos >= self.size or self.data[-1:] == b"\n" else self.size + 1
        if end <= last:
            raise ScriptError(f"end-of-file encountered while parsing {content}")
        return end

    def gets(self) -> tuple[str, int]:
        """``gets $fd line`` in binary mode: the line and its length, -1 at end."""
        try:
            data = self.f.readline()
        except OSError as err:
            raise _posix_error(f'error reading "{self.path}"', err) from None
        if not data:
            return "", -1
        if data[-1:] == b"\n":
            data = data[:-1]
        return data.decode("latin-1"), len(data)

    def parse(self, offset: int, count: int, cid: int,
              sink: list[ParsedPart] | None = None) -> _Parse:
        part = _new_part(cid, "file", sink)
        self.f.seek(offset)
        pos = offset
        last = offset + count - 1

        def next_line() -> tuple[str, bool]:
            nonlocal pos
            if pos > last:
                return "", True
            line, x = self.gets()
            if x <= 0:
                return line, True
            pos += x + 1
            return line, False

        _read_header(next_line, part)
        if not part.content.startswith("multipart/"):
            body_offset = self.f.tell()
            part.body = FileSlice(self.path, body_offset, count + offset - body_offset)
            if part.content.startswith("message/"):
                part.value = "parts"
                part.last_cid = 1
                yield from _add_message_child(
                    part, partial(self.parse, body_offset, part.body.count, 1))
            return part
        part.value = "parts"
        yield from self._multipart(part, offset + count - 1)
        return part

    def _multipart(self, part: ParsedPart, last: int) -> _Children:
        boundary = _boundary(part)
        opener, closer = "--" + boundary, "--" + boundary + "--"
        wanted = opener.encode("latin-1")
        pos = initial = self.f.tell()
        start = initial
        inside = False
        more = True
        while more:
            forced = False
            if pos > last:
                # Past the end of this part without a closing boundary:
                # tcllib fakes one and makes the part octet-stream.
                line, x, forced = closer, len(closer), True
                pos += x + 1
            else:
                # tcllib reads every line; only those starting with the
                # boundary matter, so jump to the next one.
                found = self._next_boundary_line(pos, last, wanted)
                if found is None:
                    pos = self._past(pos, last, part.content)
                    continue
                begin, x = found
                line = self.data[begin:begin + x].decode("latin-1")
                pos = begin + x + 1
            line, crlf = _strip_cr(line)
            if not line.startswith(opener):
                continue
            if not inside:
                if line == opener:
                    inside, start = True, pos
                    continue
                if line != closer:
                    continue
                inside, start, forced = True, initial, True
            more = line != closer
            if more and line != opener:
                continue
            part.last_cid += 1
            count = max(pos - (start + x + crlf + 1), 0)
            yield from _add_child(part, partial(self.parse, start, count, part.last_cid), forced)
            self.f.seek(pos)
            start = pos
