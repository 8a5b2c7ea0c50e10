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

from email.message import EmailMessage, Message
from email.utils import collapse_rfc2231_value

from .parse_tcl import tolower
from .state import (STRUCTURAL, FileBody, HeaderEntry, TokenState, check_header_name,
                    check_header_value, check_param, dead)
from .writer import body_text, header_list, iter_bytes

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

    from .state import Body

__all__ = ["MimePart", "as_mimepart", "STRUCTURAL", "FileBody", "HeaderEntry",
           "TokenState", "dead"]


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
        # Message.__init__ assigns _headers and _payload: before our state
        # exists, the setters below ignore that. (EmailMessage's own
        # __init__ only adds loading email.policy for its default, which
        # costs a script 3 ms of start-up: see the policy property.)
        Message.__init__(self, policy)
        self.state = state if state is not None else TokenState()

    @property  # type: ignore[override]
    def policy(self) -> Any:
        """The policy given, else email.policy.default (EmailMessage's),
        loaded when first asked for: a Tcl script never asks."""
        policy = self.__dict__.get("_policy")
        if policy is None:
            import email.policy
            policy = email.policy.default
        return policy

    @policy.setter
    def policy(self, value: Any) -> None:
        self.__dict__["_policy"] = value

    # --------------------------------------------------------- headers
    @property  # type: ignore[override]
    def _headers(self) -> list[tuple[str, str]]:
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
        text = str(value)
        lower = name.lower()
        state = self.state
        if lower == "content-type":
            header = self.policy.header_factory("content-type", text)
            params = [(k.lower(), str(v)) for k, v in header.params.items()]
            for key, param in params:
                check_param(key, param)
            state.content = header.content_type
            state.set_params(params)
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
        return body_text(self)

    @_payload.setter
    def _payload(self, payload: Any) -> None:
        if "state" not in self.__dict__:
            return
        state = self.state
        if payload is None:
            state.value, state.body, state.parts = "string", "", []
        elif isinstance(payload, list):
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
        import copy                    # (the caller's copy.copy has loaded it)
        new = type(self).__new__(type(self))
        new.__dict__.update(self.__dict__)
        state = self.state
        copied = copy.copy(state)
        copied.params = list(state.params)
        copied.parts = list(state.parts)
        copied.token = None
        copied.headers = {k: HeaderEntry(e.mixed, list(e.values)) for k, e in state.headers.items()}
        new.state = copied
        return new

    # --------------------------------------------------------- output
    def as_bytes(self, unixfrom: bool = False, policy: Any = None) -> bytes:
        """What ``mime::buildmessage`` gives for this part (CRLF line ends)."""
        return b"".join(iter_bytes(self))

    def __bytes__(self) -> bytes:
        return self.as_bytes()

    def as_string(self, unixfrom: bool = False, maxheaderlen: Optional[int] = 0,
                  policy: Any = None) -> str:
        return self.as_bytes().decode("utf-8", "surrogateescape")

    def __str__(self) -> str:
        return self.as_string()

    def attach(self, payload: Any) -> None:
        """Add a subpart (any email Message: copied into a MimePart)."""
        if self.state.value != "parts":
            if self.state.body not in ("", b"", None):
                raise TypeError("Attach is not valid on a message with a non-multipart payload")
            self._payload = [payload]
        else:
            self.state.parts.append(as_mimepart(payload))


_KNOWN_ENCODINGS = ("7bit", "8bit", "binary", "quoted-printable", "base64")


def as_mimepart(msg: Message) -> MimePart:
    """``msg`` as a MimePart tree (itself if it is one); no tokens."""
    if isinstance(msg, MimePart):
        return msg
    return _copy(msg)


def _header_value(msg: Message, name: str, value: Any) -> str:
    """The value as the message would write it (encoded words, folding with
    \\n + blank), without the name."""
    policy = msg.policy
    try:
        folded = policy.fold(name, value)
    except Exception:  # a value the policy cannot fold: keep its text
        return str(value)
    folded = folded.replace(policy.linesep, "\n")
    if folded.endswith("\n"):
        folded = folded[:-1]
    return folded[len(name) + 1:].lstrip(" ")


def _copy(msg: Message) -> MimePart:
    state = TokenState(canonical=True)
    state.content = msg.get_content_type()
    params = []
    for key, value in (msg.get_params() or [])[1:]:
        if isinstance(value, tuple):
            value = collapse_rfc2231_value(value)
        params.append((tolower(key), str(value)))
    state.set_params(params)
    for name, value in msg.items():
        lower = tolower(name)
        if lower in STRUCTURAL:
            continue
        entry = state.headers.setdefault(lower, HeaderEntry(name, []))
        entry.values.append(_header_value(msg, name, value))
    if msg.is_multipart():
        state.value, state.body = "parts", None
        state.parts = [as_mimepart(sub) for sub in msg.get_payload()]  # type: ignore[arg-type]  # (multipart: parts)
    else:
        cte = (msg.get("content-transfer-encoding") or "").strip().lower()
        state.encoding = cte if cte in _KNOWN_ENCODINGS else ""
        payload = msg.get_payload(decode=True)
        state.value, state.body = "string", payload if isinstance(payload, bytes) else b""
    return MimePart(state)
