"""Primitives of the mime package's token commands (see docs/architecture.md).

Each takes the Tcl command's arguments as strings, checks them in tcllib's
order with tcllib's messages, and works on the MimePart behind the token.
Unlike tcllib, a command that fails leaves its token as it was.
"""
from __future__ import annotations

import itertools
import os

from ..errors import ScriptError
from ..registry import PrimitiveSet
from ..session import Session
from . import charsets
from .model import FileBody, HeaderEntry, MimePart, TokenState, dead
from .state import check_canonical, check_header_name, check_header_value, check_param
from .parse_tcl import native_path, tcl_length, tolower
from ..tcllist import split_list
from .uniqueid import unique_id
from .writer import (content_type_value, copy_steps, header_list, iter_bytes, open_body,
                     transfer_encoding, _open_error)

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Iterator, Optional

_ENCODINGS = ("7bit", "8bit", "binary", "quoted-printable", "base64")
_PROTECTED = ("content-md5", "content-type", "content-transfer-encoding", "mime-version")

PRIMITIVES = PrimitiveSet()
primitive = PRIMITIVES.register


# ----------------------------------------------------------- helpers

def _array_set_options(args: tuple[str, ...], defaults: dict[str, str]) -> dict[str, str]:
    """Tcl's ``array set options $args`` over the defaults."""
    if len(args) % 2:
        raise ScriptError("list must have an even number of elements", ("TCL", "ARGUMENT", "FORMAT"))
    options = dict(defaults)
    options.update(zip(args[::2], args[1::2]))
    return options


def lookup(session: Session, token: str, var: str) -> MimePart:
    """The live part of ``token``; tcllib's error naming the state element
    the command would have read first."""
    part = session.tokens.get(token)
    if not isinstance(part, MimePart) or part.state.finalized:
        raise dead(var)
    return part


def token_of(session: Session, part: MimePart) -> str:
    """The token naming ``part`` in this session, registering it if needed.

    A part keeps the first name it got (``part.state.token``); another
    session (e.g. the smtp engine's private one) may name it differently
    without renaming it for its own interpreter.
    """
    token = part.state.token
    if token is not None and session.tokens.get(token) is part:
        return token
    for name, obj in session.tokens.items():
        if obj is part:
            return name
    name = session.new_token(part)
    if token is None:
        part.state.token = name
    return name


def _dead_part(token: str) -> MimePart:
    """What a -parts entry naming no live token refers to: tcllib keeps the
    name and fails when the part is used."""
    return MimePart(TokenState(token=token, finalized=True))


def _charset_declared(content: str, params: list[tuple[str, str]]) -> bool:
    return any(k == "charset" for k, _ in params) or "charset=" in content.replace(" ", "")


# --------------------------------------------------------- initialize

@primitive("mime.initialize")
def initialize(session: Session, *args: str) -> str:
    """``mime::initialize ?-canonical type/subtype ...? (-file|-string|-parts)``."""
    token = session.new_token(None)  # tcllib uses up the number even on failure
    try:
        part, subordinates = _initialize(session, token, args)
    except BaseException:
        session.forget(token)
        raise
    session.add_token(token, part)
    part.state.token = token
    for name, sub in subordinates:
        session.add_token(name, sub)
        sub.state.token = name
    return token


def _initialize(session: Session, token: str, args: tuple[str, ...]
                ) -> tuple[MimePart, list[tuple[str, MimePart]]]:
    state = TokenState()
    content: Optional[str] = None
    params: list[tuple[str, str]] = []
    seen_params: set[str] = set()
    userheader = False
    sources: dict[str, str] = {}
    i = 0
    while i < len(args):
        option = args[i]
        i += 1
        if i >= len(args):
            raise ScriptError(f"missing argument to {option}")
        value = args[i]
        i += 1
        if option == "-canonical":
            check_canonical(value)
            content = tolower(value)
        elif option == "-param":
            pair = split_list(value)
            if len(pair) != 2:
                raise ScriptError(f"-param expects a key and a value, not {value}")
            mixed = pair[0]
            check_param(mixed, pair[1])
            lower = tolower(mixed)
            if lower in seen_params:
                raise ScriptError(f"the {mixed} parameter may be specified at most once")
            seen_params.add(lower)
            params.append((lower, pair[1]))
        elif option == "-encoding":
            lower = tolower(value)
            if lower not in _ENCODINGS:
                # tcllib names the encoding set before this option (a typo).
                raise ScriptError(f"unknown value for -encoding {state.encoding}")
            state.encoding = lower
        elif option == "-header":
            pair = split_list(value)
            if len(pair) != 2:
                raise ScriptError(f"-header expects a key and a value, not {value}")
            mixed, hvalue = pair
            lower = tolower(mixed)
            if lower == "content-type":
                raise ScriptError(f"use -canonical instead of -header {value}")
            if lower == "content-transfer-encoding":
                raise ScriptError(f"use -encoding instead of -header {value}")
            if lower in ("content-md5", "mime-version"):
                raise ScriptError("don't go there...")
            check_header_name(mixed)
            check_header_value(mixed, hvalue)
            entry = state.headers.setdefault(lower, HeaderEntry(mixed, []))
            entry.values.append(hvalue)
            userheader = True
        elif option in ("-file", "-parts", "-string"):
            sources[option[1:]] = value
        else:
            raise ScriptError(f"unknown option {option}")
    # tcllib's check lets anything through once -string is given (it tests
    # for the line list -string makes), and the string wins.
    if "string" in sources:
        kind, source = "string", sources["string"]
    elif len(sources) == 1:
        (kind, source), = sources.items()
    else:
        raise ScriptError("specify exactly one of -file, -parts, or -string")

    if content is not None:
        state.canonical = True
        state.content = content
        state.value = kind
        if kind == "file":
            state.body = FileBody(source)  # read when written, not now
        elif kind == "string":
            state.body = source
            if (content.startswith("text/") and not source.isascii() and max(source) > "\xff"
                    and not _charset_declared(content, params)):
                # Text beyond Latin-1 needs a charset; tcllib declares none
                # (and base64/qp would lose the characters). See compat.md.
                params.append(("charset", "UTF-8"))
        else:
            major = content.split("/", 1)[0]
            if major in ("text", "image", "audio", "video"):
                raise ScriptError(f"-canonical {content} and -parts do not mix")
            if state.encoding:
                raise ScriptError("-encoding and -parts do not mix")
            state.body = None
            state.parts = [p if isinstance(p := session.tokens.get(t), MimePart) and not p.state.finalized
                           else _dead_part(t) for t in split_list(source)]
        state.set_params(params)
        if "content-id" not in state.headers:
            state.headers["content-id"] = HeaderEntry("Content-ID", [unique_id(session)])
        return MimePart(state), []

    if params:
        raise ScriptError("-param requires -canonical")
    if state.encoding:
        raise ScriptError("-encoding requires -canonical")
    if userheader:
        raise ScriptError("-header requires -canonical")
    if "parts" in sources:
        raise ScriptError("-parts requires -canonical")
    from .parser import parse_file, parse_string
    if "file" in sources:
        # tcllib parses the file also when -string is given too; its
        # state(value) stays "string", so a leaf's body is that string.
        parsed = parse_file(sources["file"])
        if "string" in sources and parsed.value == "file":
            parsed.value, parsed.body = "string", sources["string"]
    else:
        parsed = parse_string(source)
    subordinates: list[tuple[str, MimePart]] = []
    part = _from_parsed(parsed, token, subordinates, top=True)
    return part, subordinates


def _from_parsed(parsed: Any, token: str, out: list[tuple[str, MimePart]], top: bool) -> MimePart:
    """A MimePart tree from helper A3's ParsedPart tree; subordinates are
    named token-1, token-1-2, ... as tcllib names them, and listed in
    ``out`` after their own subordinates. An explicit stack: any depth."""
    root = _part_from_parsed(parsed, token, top)
    stack = [(token, root, _parsed_children(parsed))]
    while stack:
        name, part, children = stack[-1]
        child, listed = next(children, (None, False))
        if child is None:
            stack.pop()
            if stack:
                out.append((name, part))
            continue
        child_name = f"{name}-{child.cid}"
        sub = _part_from_parsed(child, child_name, top=False)
        if listed:
            part.state.parts.append(sub)
        stack.append((child_name, sub, _parsed_children(child)))
    return root


def _parsed_children(parsed: Any) -> Any:
    """(child, listed in parts) for the parsed subordinates, then the ones
    tcllib numbered and gave up on: a token in no parts list that finalize
    -subordinates dynamic still reaches."""
    if parsed.value == "parts":
        for child in parsed.parts:
            yield child, True
    for child in getattr(parsed, "dropped", ()):
        yield child, False


def _part_from_parsed(parsed: Any, token: str, top: bool) -> MimePart:
    """One part of _from_parsed, without its subordinates."""
    from .parser import FileSlice
    state = TokenState(canonical=False, content=parsed.content, params=list(parsed.params),
                       encoding=parsed.encoding, version=parsed.version, cid=parsed.last_cid,
                       token=token)
    for mixed, values in parsed.headers:
        state.headers[tolower(mixed)] = HeaderEntry(mixed, list(values))
    state.value = parsed.value
    body = parsed.body
    if parsed.value == "parts":
        state.body = None
    elif isinstance(body, FileSlice):
        # The part initialize was given reads to the end of the file (tcllib
        # forgets its root); subordinates read their slice.
        state.body = FileBody(body.path, body.offset, body.count, to_eof=top)
    else:
        state.body = body or ""
    return MimePart(state)


# ----------------------------------------------------------- finalize

@primitive("mime.finalize")
def finalize(session: Session, token: str, *args: str) -> str:
    """``mime::finalize token ?-subordinates all|dynamic|none?``."""
    options = _array_set_options(args, {"-subordinates": "dynamic"})
    doomed: dict[str, MimePart] = {}
    _collect(session, token, options["-subordinates"], doomed)
    # Checked first, destroyed after: an error leaves every token alive.
    for name, part in doomed.items():
        part.state.finalized = True
        session.forget(name)
    return ""


def _collect(session: Session, token: str, mode: str, doomed: dict[str, MimePart]) -> None:
    """The tokens finalize destroys, subordinates before their part (tcllib
    recurses; an explicit stack reaches any depth)."""
    if mode not in ("all", "dynamic"):
        _collect_one(session, token, mode, doomed)
        return
    stack = [(token, iter(_subordinate_tokens(session, token, mode)))]
    while stack:
        name, subs = stack[-1]
        sub = next(subs, None)
        if sub is None:
            stack.pop()
            _collect_one(session, name, mode, doomed)
        else:
            stack.append((sub, iter(_subordinate_tokens(session, sub, mode))))


def _subordinate_tokens(session: Session, token: str, mode: str) -> list[str]:
    if mode == "all":
        part = lookup(session, token, "value")
        if part.state.value == "parts":
            return [token_of_dead_or_live(session, sub) for sub in part.state.parts]
        return []
    part = lookup(session, token, "cid")
    return [f"{token}-{cid}" for cid in range(part.state.cid, 0, -1)]


def _collect_one(session: Session, token: str, mode: str,
                 doomed: dict[str, MimePart]) -> None:
    if mode in ("all", "dynamic"):
        pass
    elif mode == "none":
        part = session.tokens.get(token)
        if not isinstance(part, MimePart) or part.state.finalized or token in doomed:
            raise ScriptError(f'can\'t unset "{token}": no such variable', ("TCL", "UNSET", "VARNAME"))
    else:
        raise ScriptError(f"unknown value for -subordinates {mode}")
    if token in doomed:
        # Already going (a part listed twice): tcllib would fail reading its state.
        raise dead("value" if mode == "all" else "cid")
    doomed[token] = session.tokens[token]


def token_of_dead_or_live(session: Session, part: MimePart) -> str:
    if part.state.finalized:
        return part.state.token or ""
    return token_of(session, part)


# ---------------------------------------------------------- properties

def getsize(part: MimePart) -> int:
    """tcllib's getsize: body size, 3/4 of it for a parsed base64 body, or
    the sum over the subordinates (walked without recursion: any depth)."""
    total, pending = 0, [part]
    while pending:
        total += _leaf_size(pending.pop(), pending)
    return total


def _leaf_size(part: MimePart, pending: list[MimePart]) -> int:
    """A leaf's size; a multipart's subordinates go to ``pending`` (0)."""
    state = part.state
    if state.finalized:
        raise dead("value")
    if state.value == "parts":
        pending.extend(reversed(state.parts))
        return 0
    body = state.body
    if isinstance(body, FileBody):
        if state.canonical:
            try:
                return os.stat(native_path(body.path)).st_size
            except OSError as err:
                message = _open_error(body.path, err).errorcode[2]
                raise ScriptError(f'could not read "{body.path}": {message}',
                                  _open_error(body.path, err).errorcode) from None
        size = body.count
    elif isinstance(body, bytes):
        size = len(body)
    else:
        size = tcl_length(body or "")
    if state.canonical:
        return size
    if state.encoding == "base64":
        size = (size * 3 + 2) // 4
    return size


@primitive("mime.getproperty")
def getproperty(session: Session, token: str, prop: str = "") -> Any:
    """``mime::getproperty token ?property|-names?``."""
    if prop == "":
        part = lookup(session, token, "content")
        state = part.state
        props: list[tuple[str, Any]] = [
            ("content", state.content), ("encoding", state.encoding),
            ("params", _flat(state.params)), ("size", str(getsize(part)))]
        if state.value == "parts":
            props.append(("parts", [token_of(session, p) if not p.state.finalized
                                    else p.state.token for p in state.parts]))
        from .parse_tcl import array_order
        return [x for pair in array_order(props) for x in pair]
    if prop == "-names":
        named = session.tokens.get(token)
        names = ["content", "encoding", "params"]
        if isinstance(named, MimePart) and not named.state.finalized and named.state.value == "parts":
            names.append("parts")
        return names
    if prop in ("content", "encoding", "params"):
        state = lookup(session, token, prop).state
        return _flat(state.params) if prop == "params" else getattr(state, prop)
    if prop == "parts":
        named = session.tokens.get(token)
        if not isinstance(named, MimePart) or named.state.finalized or named.state.value != "parts":
            raise ScriptError("MIME part is a leaf")
        return [token_of(session, p) if not p.state.finalized else p.state.token
                for p in named.state.parts]
    if prop == "size":
        return str(getsize(lookup(session, token, "value")))
    raise ScriptError(f"unknown property {prop}")


def _flat(pairs: list[tuple[str, str]]) -> list[str]:
    return [x for pair in pairs for x in pair]


# ------------------------------------------------------------- headers

@primitive("mime.getheader")
def getheader(session: Session, token: str, key: str = "") -> Any:
    """``mime::getheader token ?key|-names?``."""
    part = lookup(session, token, "header")
    if key == "":
        return [x for pair in header_list(part) for x in pair]
    if key == "-names":
        return [entry.mixed for entry in part.state.headers.values()]
    return _values(part, key)


def _values(part: MimePart, key: str) -> Any:
    lower = tolower(key)
    if lower == "content-transfer-encoding":
        return transfer_encoding(part)
    if lower == "content-type":
        return [content_type_value(part)]
    if lower == "mime-version":
        return [part.state.version]
    entry = part.state.headers.get(lower)
    if entry is None:
        raise ScriptError(f"key {key} not in header")
    return list(entry.values)


@primitive("mime.setheader")
def setheader(session: Session, token: str, key: str, value: str, *args: str) -> Any:
    """``mime::setheader token key value ?-mode write|append|delete?``:
    returns the previous values."""
    options = _array_set_options(args, {"-mode": "write"})
    return set_header(lookup(session, token, "header"), key, value, options["-mode"])


def set_header(part: MimePart, key: str, value: str, mode: str) -> list[str]:
    """mime::setheader's work on a live part (the smtp engine's headers
    come this way, with tcllib's checks): returns the previous values."""
    lower = tolower(key)
    headers = part.state.headers
    entry = headers.get(lower)
    if entry is None and mode == "delete":
        raise ScriptError(f"key {key} not in header")
    result = list(entry.values) if entry is not None else []
    if mode in ("append", "write"):
        if lower in _PROTECTED:
            # tcllib lets these through only with a value they already have.
            if lower == "content-md5":
                current = list(entry.values) if entry is not None else None
                if current is None:
                    raise ScriptError(f"key {lower} not in header")
            elif lower == "content-transfer-encoding":
                current = split_list(transfer_encoding(part))
            else:
                current = _values(part, lower)
            if value not in current:
                raise ScriptError(f"key {key} may not be set")
        check_header_name(key)
        check_header_value(key, value)
        if entry is None:
            entry = headers[lower] = HeaderEntry(key, [])
        if mode == "append":
            entry.values.append(value)
        else:
            entry.values[:] = [value]
    elif mode == "delete":
        del headers[lower]
    else:
        raise ScriptError(f"unknown value for -mode {mode}")
    return result


# ------------------------------------------------------------- output

@primitive("mime.buildmessage")
def buildmessage(session: Session, token: str) -> bytes:
    """``mime::buildmessage token``: the message, CRLF line ends."""
    part = lookup(session, token, "header")
    return b"".join(iter_bytes(part))


def _streams(session: Session) -> dict[str, Iterator[Any]]:
    return session.extras.setdefault("mime.streams", {})


def _open_stream(session: Session, steps: Iterator[Any]) -> str:
    counter = session.extras.setdefault("mime.stream_ids", itertools.count(1))
    handle = f"mimestream{next(counter)}"
    _streams(session)[handle] = steps
    return handle


def _next_step(session: Session, handle: str) -> Any:
    streams = _streams(session)
    steps = streams.get(handle)
    if steps is None:
        return ["end"]
    try:
        step = next(steps, None)
    except BaseException:
        streams.pop(handle, None)
        raise
    if step is None:
        streams.pop(handle, None)
        return ["end"]
    return list(step)


@primitive("mime.copymessage.open")
def copymessage_open(session: Session, token: str) -> str:
    """Start copying ``token``'s message: a handle for mime.copymessage.next."""
    part = lookup(session, token, "header")
    return _open_stream(session, copy_steps(part))


@primitive("mime.copymessage.next")
def copymessage_next(session: Session, handle: str) -> Any:
    """{data TEXT} to put on the channel, {buffersize {}} or {end}."""
    return _next_step(session, handle)


@primitive("mime.stream.close")
def stream_close(session: Session, handle: str) -> str:
    steps = _streams(session).pop(handle, None)
    if steps is not None and hasattr(steps, "close"):
        steps.close()
    return ""


# --------------------------------------------------------------- getbody

def _decoded_body(part: MimePart, blocksize: int) -> Iterator[str | bytes]:
    """The body in canonical form, in pieces (tcllib's getbody data).

    A part parsed from a file is decoded as tcllib does: ``blocksize``
    bytes at a time, each read cut back to its last newline.
    """
    state = part.state
    body = state.body
    if isinstance(body, FileBody):
        with open_body(body.path) as f:
            f.seek(body.offset)
            if state.canonical:
                while data := f.read(max(blocksize, 1 << 16)):
                    yield data
                return
            remaining = body.count
            while remaining > 0:
                data = f.read(min(remaining, blocksize))
                if not data:
                    break
                if state.encoding in ("base64", "quoted-printable"):
                    cut = data.rfind(b"\n")
                    if cut > 0 and cut + 1 != len(data):
                        f.seek(-(len(data) - (cut + 1)), os.SEEK_CUR)
                        data = data[:cut + 1]
                    remaining -= len(data)
                    yield _decode(state.encoding, data.decode("latin-1"))
                elif state.encoding in ("7bit", "8bit", "binary", ""):
                    remaining -= len(data)
                    yield data
                else:
                    raise ScriptError(f'Can\'t handle content encoding "{state.encoding}"')
        return
    text = body.decode("latin-1") if isinstance(body, bytes) else (body or "")
    if not state.canonical and state.encoding in ("base64", "quoted-printable"):
        text = _decode(state.encoding, text)
    yield text


def _decode(encoding: str, text: str) -> str:
    if encoding == "base64":
        from .parse_tcl import base64_decode
        return base64_decode(text)
    from .qp import qp_decode
    return qp_decode(text)


def _rechunk(pieces: Iterator[str | bytes], blocksize: int) -> Iterator[str | bytes]:
    """Pieces of exactly ``blocksize`` characters, the last one shorter."""
    pending: str | bytes | None = None
    for piece in pieces:
        if pending is None:
            pending = piece
        elif isinstance(pending, bytes) and isinstance(piece, bytes):
            pending += piece
        else:
            pending = _as_text(pending) + _as_text(piece)
        at = 0  # slice by offset: cutting the front off a large body each time is quadratic
        while len(pending) - at > blocksize:
            yield pending[at:at + blocksize]
            at += blocksize
        pending = pending[at:]
    if pending:
        yield pending


def _as_text(x: str | bytes) -> str:
    return x.decode("latin-1") if isinstance(x, bytes) else x


@primitive("mime.getbody.open")
def getbody_open(session: Session, token: str, blocksize: str) -> str:
    """Start reading ``token``'s body for the Tcl getbody loop."""
    part = lookup(session, token, "value")
    if part.state.value == "parts":
        raise ScriptError("MIME part isn't a leaf")
    body = part.state.body
    if isinstance(body, FileBody) and not os.path.isdir(native_path(body.path)):
        open_body(body.path).close()  # tcllib opens it before its catch (a directory opens)
    pieces = None
    if not isinstance(body, FileBody) and not part.state.canonical and \
            part.state.encoding in ("base64", "quoted-printable"):
        # tcllib decodes a parsed -string body before its catch, so a decoding
        # error keeps its message (not just "error").
        pieces = iter([_decode(part.state.encoding, _as_text(body or ""))])
    return _open_stream(session, _getbody_steps(part, blocksize, pieces))


def _blocksize(value: str) -> int:
    from .functions import tcl_number
    size = tcl_number(value)
    if not isinstance(size, int):
        raise ScriptError(f'expected integer but got "{value}"', ("TCL", "VALUE", "NUMBER"))
    return size


def _getbody_steps(part: MimePart, blocksize: str,
                   pieces: Iterator[str | bytes] | None = None) -> Iterator[tuple[str, Any]]:
    """What tcllib's getbody loop reads, for the Tcl proc to cut and deliver.

    The Tcl side keeps tcllib's loop shape because a callback's ``break``
    acts on it: a canonical -file body is read ``blocksize`` at a time and
    each read goes to the callback as is (``chunk``); any other body comes as
    the pieces tcllib appends to its fragment (``piece``: the whole decoded
    -string body, or each decoded read of a parsed file), which the Tcl loop
    cuts into ``blocksize`` pieces.
    """
    size = _blocksize(blocksize)
    body = part.state.body
    if pieces is None and isinstance(body, FileBody) and part.state.canonical:
        for chunk in _rechunk(_decoded_body(part, size), size):
            yield ("chunk", chunk)
        return
    for piece in (pieces if pieces is not None else _decoded_body(part, size)):
        yield ("piece", piece)


@primitive("mime.getbody.next")
def getbody_next(session: Session, handle: str) -> Any:
    """{chunk DATA}, {piece DATA} or {end}."""
    return _next_step(session, handle)


@primitive("mime.getbody")
def getbody(session: Session, token: str, *args: str) -> Any:
    """``mime::getbody token ?-decode?`` for Python callers (no -command:
    the Tcl proc runs callbacks itself)."""
    args_list = list(args)
    decode = "-decode" in args_list
    if decode:
        args_list.remove("-decode")
    options = _array_set_options(tuple(args_list), {"-blocksize": "4096"})
    if "-command" in options:
        raise ScriptError("mime.getbody: -command is run by the Tcl proc mime::getbody")
    part = lookup(session, token, "value")
    if part.state.value == "parts":
        raise ScriptError("MIME part isn't a leaf")
    blocksize = _blocksize(options["-blocksize"])
    if blocksize < 1:
        raise ScriptError(f"-blocksize expects a positive integer, not {blocksize}")
    pieces = list(_decoded_body(part, blocksize))
    if pieces and all(isinstance(p, bytes) for p in pieces):
        result: str = b"".join(pieces).decode("latin-1")  # type: ignore[arg-type]
    else:
        result = "".join(_as_text(p) for p in pieces)
    if decode:
        charset = "US-ASCII"
        for key, value in part.state.params:
            if key == "charset":
                charset = value
        enc = charsets.reversemapencoding(charset)
        if not enc:
            raise ScriptError(f"-decode failed: can't reversemap charset {charset}")
        result = charsets.convertfrom(enc, result)
    return result
