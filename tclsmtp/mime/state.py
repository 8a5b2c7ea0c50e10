"""A mime token's data as tcllib keeps it (its state array), and the rules
for header names and values; no EmailMessage here (that is model.py)."""
from __future__ import annotations

import re

from ..errors import ScriptError
from .parse_tcl import array_order

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Union
    from .model import MimePart

# The header names tcllib keeps out of the header list: they live in the
# state as content/params, encoding and version.
STRUCTURAL = ("content-type", "content-transfer-encoding", "mime-version")


# Plain classes, not dataclasses: importing dataclasses costs a tenth of a
# short script's start-up.
class FileBody:
    """A body read from ``path`` when the message is written (never before).

    Bytes ``offset`` .. ``offset+count-1``; written to the end of the file
    when ``to_eof`` (tcllib's canonical -file, and the top part parsed from
    a file) or when ``count`` < 0 (as tcllib's arithmetic gives some parts).

    Never changed once made (a new one replaces it).
    """
    __slots__ = ("path", "offset", "count", "to_eof")
    path: str
    offset: int
    count: int
    to_eof: bool

    def __init__(self, path: str, offset: int = 0, count: int = -1, to_eof: bool = True) -> None:
        self.path = path
        self.offset = offset
        self.count = count
        self.to_eof = to_eof

    def __repr__(self) -> str:
        return (f"FileBody(path={self.path!r}, offset={self.offset!r}, count={self.count!r}, "
                f"to_eof={self.to_eof!r})")


if TYPE_CHECKING:
    Body = Union[str, bytes, FileBody, None]


class HeaderEntry:
    __slots__ = ("mixed", "values")
    mixed: str           # the name as first given (tcllib's mixedL)
    values: list[str]    # every value, in order (tcllib's header(lower))

    def __init__(self, mixed: str, values: list[str]) -> None:
        self.mixed = mixed
        self.values = values


class TokenState:
    """What tcllib's state array holds for a token."""
    __slots__ = ("canonical", "content", "params", "encoding", "version", "headers", "value",
                 "body", "parts", "cid", "token", "finalized", "boundary")
    canonical: bool
    content: str
    # Content-Type parameters in tcllib's order (that of a Tcl array).
    params: list[tuple[str, str]]
    encoding: str
    version: str
    headers: dict[str, HeaderEntry]
    # "string" (body is str, or bytes from Python), "file" (FileBody) or "parts".
    value: str
    body: Body
    parts: list["MimePart"]
    cid: int                       # subordinates numbered so far (token-N)
    token: Optional[str]           # the name the part is registered under
    finalized: bool
    boundary: Optional[str]        # generated once, when a multipart needs one

    def __init__(self, canonical: bool = True, content: str = "text/plain",
                 params: Optional[list[tuple[str, str]]] = None, encoding: str = "",
                 version: str = "1.0", headers: Optional[dict[str, HeaderEntry]] = None,
                 value: str = "string", body: Body = "", parts: Optional[list["MimePart"]] = None,
                 cid: int = 0, token: Optional[str] = None, finalized: bool = False,
                 boundary: Optional[str] = None) -> None:
        self.canonical = canonical
        self.content = content
        self.params = [] if params is None else params
        self.encoding = encoding
        self.version = version
        self.headers = {} if headers is None else headers
        self.value = value
        self.body = body
        self.parts = [] if parts is None else parts
        self.cid = cid
        self.token = token
        self.finalized = finalized
        self.boundary = boundary

    def set_params(self, pairs: list[tuple[str, str]]) -> None:
        """Params given in the order they were set, stored as Tcl orders them."""
        self.params = array_order(pairs)


def dead(var: str) -> ScriptError:
    """tcllib's error for a token whose state is gone (finalized or never made)."""
    return ScriptError(f'can\'t read "state({var})": no such variable', ("TCL", "LOOKUP", "VARNAME"))


_GOOD_HEADER_NAME = re.compile("[!-9;-~]+")      # printable ASCII but ":"


def check_header_name(name: str) -> None:
    """A header name we can write: tcllib accepts any (even "a b" or "a:b"),
    which writes a broken header; we refuse those."""
    if _GOOD_HEADER_NAME.fullmatch(name) is None:
        raise ScriptError(f'invalid header name "{name}": use printable ASCII without spaces or colons',
                          ("MIME", "HEADER", "NAME"))


def check_header_value(name: str, value: str) -> None:
    """tcllib writes a value with CR or LF as it is: header injection. We refuse."""
    if "\r" in value or "\n" in value:
        raise ScriptError(f"value of header {name} contains a line break (CR or LF): refused",
                          ("MIME", "HEADER", "VALUE"))


def _unsafe(text: str) -> bool:
    # a NUL adds no line, and tcllib (and other tests) keep it: allowed
    return "\r" in text or "\n" in text


def _shown(text: str) -> str:
    return text.replace("\r", "\\r").replace("\n", "\\n")


def check_canonical(content: str) -> None:
    """-canonical becomes the Content-Type line: CR or LF in it would add
    header lines (tcllib writes it as it is)."""
    if _unsafe(content):
        raise ScriptError(f'-canonical "{_shown(content)}" contains a line break (CR or LF): '
                          "refused", ("MIME", "CANONICAL", "VALUE"))


def check_param(name: str, value: str) -> None:
    """A -param name and value become part of the Content-Type line."""
    if _unsafe(name):
        raise ScriptError(f'-param name "{_shown(name)}" contains a line break (CR or LF): '
                          "refused", ("MIME", "PARAM", "NAME"))
    if _unsafe(value):
        raise ScriptError(f"value of parameter {name} contains a line break (CR or LF): "
                          "refused", ("MIME", "PARAM", "VALUE"))
