"""The object behind every mime token: tcllib's token state, and an EmailMessage.

tcllib keeps a state array per token (``canonicalP``, ``content``,
``params``, ``encoding``, ``version``, the header keys in order, and a body
that is a string, a file or a list of parts). :class:`TokenState` holds the
same; :class:`MimePart` carries one and presents it through the
``email.message.EmailMessage`` API, so Python code can read (and change) a
message that a Tcl script built, and ``bytes(part)`` is what
``mime::buildmessage`` gives.
"""
from __future__ import annotations

import dataclasses
import email.policy
from dataclasses import dataclass, field
from email.message import EmailMessage
from typing import Any, Optional, Union

from ..errors import ScriptError
from .parse_tcl import array_order

# The header names tcllib keeps out of the header list: they live in the
# state as content/params, encoding and version.
STRUCTURAL = ("content-type", "content-transfer-encoding", "mime-version")


@dataclass(frozen=True)
class FileBody:
    """A body read from ``path`` when the message is written (never before).

    Bytes ``offset`` .. ``offset+count-1``; written to the end of the file
    when ``to_eof`` (tcllib's canonical -file, and the top part parsed from
    a file) or when ``count`` < 0 (as tcllib's arithmetic gives some parts).
    """
    path: str
    offset: int = 0
    count: int = -1
    to_eof: bool = True


Body = Union[str, bytes, FileBody, None]


@dataclass
class HeaderEntry:
    mixed: str           # the name as first given (tcllib's mixedL)
    values: list[str]    # every value, in order (tcllib's header(lower))


@dataclass
class TokenState:
    """What tcllib's state array holds for a token."""
    canonical: bool = True
    content: str = "text/plain"
    # Content-Type parameters in tcllib's order (that of a Tcl array).
    params: list[tuple[str, str]] = field(default_factory=list)
    encoding: str = ""
    version: str = "1.0"
    headers: dict[str, HeaderEntry] = field(default_factory=dict)
    # "string" (body is str, or bytes from Python), "file" (FileBody) or "parts".
    value: str = "string"
    body: Body = ""
    parts: list["MimePart"] = field(default_factory=list)
    cid: int = 0                   # subordinates numbered so far (token-N)
    token: Optional[str] = None    # the name the part is registered under
    finalized: bool = False
    boundary: Optional[str] = None  # generated once, when a multipart needs one

    def set_params(self, pairs: list[tuple[str, str]]) -> None:
        """Params given in the order they were set, stored as Tcl orders them."""
        self.params = array_order(pairs)


def dead(var: str) -> ScriptError:
    """tcllib's error for a token whose state is gone (finalized or never made)."""
    return ScriptError(f'can\'t read "state({var})": no such variable', ("TCL", "LOOKUP", "VARNAME"))


class MimePart(EmailMessage):
    """A tcllib mime token's part, usable as an ``email.message.EmailMessage``.

    The token state (``part.state``) is the truth; the EmailMessage views
    (``part["Subject"]``, ``iter_parts()``, ``get_content()``,
    ``bytes(part)``) are computed from it, and header changes made through
    the EmailMessage API change it. ``bytes(part)``/``as_bytes()`` are
    tcllib's bytes (``mime::buildmessage``); ``email.generator`` (and so
    ``smtplib.send_message``) renders the same message the email package's
    way.
    """

    def __init__(self, state: Optional[TokenState] = None, policy: Any = None) -> None:
        # EmailMessage.__init__ assigns _headers and _payload: before our
        # state exists, the setters below ignore that.
        super().__init__(policy if policy is not None else email.policy.default)
        self.state = state if state is not None else TokenState()

    # --------------------------------------------------------- headers
    @property  # type: ignore[override]
    def _headers(self) -> list[tuple[str, str]]:
        from .writer import header_list
        if self.state.finalized:
            return []
        return header_list(self)

    @_headers.setter
    def _headers(self, items: list[tuple[str, Any]]) -> None:
        if "state" not in self.__dict__:
            return  # EmailMessage.__init__ sets [] before our state exists
        state = self.state
        state.headers = {}
        state.content, state.params, state.encoding, state.version = "text/plain", [], "", "1.0"
        for name, value in items:
            self._store_header(name, value)

    def _store_header(self, name: str, value: Any, replace: bool = False) -> None:
        from .commands import check_header_name, check_header_value
        text = str(value)
        lower = name.lower()
        state = self.state
        if lower == "content-type":
            header = self.policy.header_factory("content-type", text)
            state.content = header.content_type
            state.set_params([(k.lower(), str(v)) for k, v in header.params.items()])
            return
        if lower == "content-transfer-encoding":
            state.encoding = text.strip().lower()
            return
        if lower == "mime-version":
            state.version = text.strip()
            return
        check_header_name(name)
        check_header_value(name, text)
        entry = state.headers.get(lower)
        if entry is None:
            state.headers[lower] = HeaderEntry(name, [text])
        elif replace:
            entry.values[0] = text
        else:
            entry.values.append(text)

    def __setitem__(self, name: str, val: Any) -> None:
        # Content-Type, Content-Transfer-Encoding and MIME-Version always
        # exist in tcllib's model: setting one replaces it.
        max_count = None if name.lower() in STRUCTURAL else self.policy.header_max_count(name)
        if max_count:
            lname = name.lower()
            found = sum(1 for k, _ in self._headers if k.lower() == lname)
            if found >= max_count:
                raise ValueError(f"There may be at most {max_count} {name} headers in a message")
        self._store_header(name, val)

    def __delitem__(self, name: str) -> None:
        lower = name.lower()
        state = self.state
        if lower == "content-type":
            state.content, state.params = "text/plain", []
        elif lower == "content-transfer-encoding":
            state.encoding = ""
        elif lower == "mime-version":
            pass  # tcllib always writes one
        else:
            state.headers.pop(lower, None)

    def replace_header(self, _name: str, _value: Any) -> None:
        if _name.lower() not in {k.lower() for k, _ in self._headers}:
            raise KeyError(_name)
        self._store_header(_name, _value, replace=True)

    def set_raw(self, name: str, value: Any) -> None:
        self._store_header(name, value)

    # --------------------------------------------------------- payload
    @property  # type: ignore[override]
    def _payload(self) -> Any:
        state = self.state
        if state.value == "parts":
            return state.parts
        from .writer import body_text
        return body_text(self)

    @_payload.setter
    def _payload(self, payload: Any) -> None:
        if "state" not in self.__dict__:
            return
        state = self.state
        if payload is None:
            state.value, state.body, state.parts = "string", "", []
        elif isinstance(payload, list):
            from .convert import as_mimepart
            state.value, state.parts, state.body = "parts", [as_mimepart(p) for p in payload], None
        else:
            if isinstance(payload, str) and any("\udc80" <= c <= "\udcff" for c in payload):
                # The email package keeps 8-bit bytes surrogate-escaped.
                payload = payload.encode("ascii", "surrogateescape")
            # An EmailMessage payload is already transfer-encoded: write it
            # as it is, as tcllib writes a part it parsed.
            state.value, state.body, state.canonical, state.parts = "string", payload, False, []

    def __copy__(self) -> "MimePart":
        """A copy with its own header list (what smtplib.send_message does
        before deleting Bcc must not touch the original); subparts shared,
        as copy.copy shares an EmailMessage's subparts. The copy has no token."""
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        state = self.state
        new.state = dataclasses.replace(
            state, params=list(state.params), parts=list(state.parts), token=None,
            headers={k: HeaderEntry(e.mixed, list(e.values)) for k, e in state.headers.items()})
        return new

    # --------------------------------------------------------- output
    def as_bytes(self, unixfrom: bool = False, policy: Any = None) -> bytes:
        """What ``mime::buildmessage`` gives for this part (CRLF line ends)."""
        from .writer import iter_bytes
        return b"".join(iter_bytes(self))

    def __bytes__(self) -> bytes:
        return self.as_bytes()

    def as_string(self, unixfrom: bool = False, maxheaderlen: int = 0, policy: Any = None) -> str:
        return self.as_bytes().decode("utf-8", "surrogateescape")

    def __str__(self) -> str:
        return self.as_string()

    def attach(self, payload: Any) -> None:
        """Add a subpart (any email Message: copied into a MimePart)."""
        from .convert import as_mimepart
        if self.state.value != "parts":
            if self.state.body not in ("", b"", None):
                raise TypeError("Attach is not valid on a message with a non-multipart payload")
            self._payload = [payload]
        else:
            self.state.parts.append(as_mimepart(payload))
