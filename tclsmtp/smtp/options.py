"""The options of ``smtp::sendmessage``, parsed with tcllib's errors.

tcllib checks the options one by one, left to right, and stops at the first
bad one; the messages below are its messages, word for word.
"""
from __future__ import annotations

import re

from ..errors import ScriptError
from ..tcllist import split_list, tcl_list

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Union

# Headers a script may not set through -header (tcllib's list).
DISALLOWED_HEADERS = ("content-type", "content-transfer-encoding", "content-md5", "mime-version")


def boolean(value: str) -> bool:
    """tcllib's ``smtp::boolean``: 0/false/no/off and 1/true/yes/on only."""
    word = value.lower()
    if word in ("0", "false", "no", "off"):
        return False
    if word in ("1", "true", "yes", "on"):
        return True
    raise ScriptError(f"unknown boolean value: {value}")


# -- Tcl numbers, for -maxsecs (tcllib does arithmetic on it) ---------------

_INT_RE = re.compile(r"\s*([+-]?)(0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[0-7]*|[1-9][0-9]*)\s*\Z")
_FLOAT_RE = re.compile(r"\s*[+-]?(\d+\.?\d*([eE][+-]?\d+)?|\.\d+([eE][+-]?\d+)?|inf(inity)?|nan)\s*\Z",
                       re.IGNORECASE)


def _decimal(digits: str) -> int:
    """int(digits) for any length (Tcl's expr has big integers; Python's
    int() refuses strings of more than 4300 digits)."""
    if len(digits) <= 4000:
        return int(digits)
    half = len(digits) // 2
    return _decimal(digits[:half]) * 10 ** (len(digits) - half) + _decimal(digits[half:])


def tcl_number(text: str) -> Union[int, float, None]:
    """The value of ``text`` as Tcl 8.6's expr reads it, or None."""
    m = _INT_RE.match(text)
    if m:
        sign, digits = m.groups()
        low = digits.lower()
        if low.startswith("0x"):
            value = int(low[2:], 16)
        elif low.startswith("0o"):
            value = int(low[2:], 8)
        elif low.startswith("0b"):
            value = int(low[2:], 2)
        elif low.startswith("0") and len(low) > 1:
            value = int(low, 8)          # Tcl 8.6: a leading 0 means octal
        else:
            value = _decimal(low)
        return -value if sign == "-" else value
    if _FLOAT_RE.match(text):
        return float(text)
    return None


def tcl_less(a: str, b: str) -> bool:
    """expr's ``a < b``: numeric when both are numbers, else string order."""
    x, y = tcl_number(a), tcl_number(b)
    if x is not None and y is not None:
        return x < y
    return a < b


def tcl_greater(a: str, b: str) -> bool:
    return tcl_less(b, a)


def tcl_equal(a: str, b: str) -> bool:
    x, y = tcl_number(a), tcl_number(b)
    if x is not None and y is not None:
        return x == y
    return a == b


# -- the options -------------------------------------------------------------

# Plain classes, not dataclasses: importing dataclasses costs a tenth of a
# short script's start-up.
class SendFlags:
    """sendmessage's switches that the conversation uses as the script gave
    them (the options carry them, and the plan made from the options)."""
    __slots__ = ("atleastone", "debug", "queue", "usetls", "tlspolicy", "tlsimport", "maxsecs",
                 "username", "password")
    atleastone: bool
    debug: bool
    queue: bool
    usetls: bool
    tlspolicy: str
    tlsimport: bool
    maxsecs: str                       # kept as text: tcllib prints and compares it
    username: str
    password: str

    def __init__(self, flags: Optional["SendFlags"] = None) -> None:
        """tcllib's defaults, or a copy of ``flags``."""
        if flags is not None:
            for name in SendFlags.__slots__:
                setattr(self, name, getattr(flags, name))
            return
        self.atleastone = self.debug = self.queue = self.tlsimport = False
        self.usetls = True
        self.tlspolicy = self.username = self.password = ""
        self.maxsecs = "120"


class SendOptions(SendFlags):
    """What the script asked for, after tcllib's parsing."""
    __slots__ = ("originator", "originator_given_empty", "recipients", "servers", "ports",
                 "client", "header_keys", "headers")
    originator: str
    originator_given_empty: bool           # -originator "" : MAIL FROM:<>
    recipients: str
    # Tcl lists, split only when connecting (where tcllib first reads them)
    servers: str
    ports: str
    client: str
    # -header keys in first-seen order: (lower, mixed), and values by lower key
    header_keys: list[tuple[str, str]]
    headers: dict[str, list[str]]

    def __init__(self) -> None:
        super().__init__()
        self.originator = self.recipients = self.client = ""
        self.originator_given_empty = False
        self.servers = "localhost"
        self.ports = "25"
        self.header_keys = []
        self.headers = {}


def parse_options(args: list[str]) -> SendOptions:
    """Parse ``args`` as tcllib 1.5.2 does, raising its errors.

    A loop of sends repeats the same options: the result for the same
    ``args`` is shared (callers only read it)."""
    key = tuple(args)
    options = _PARSED.get(key)
    if options is None:
        options = _parse_options(args)
        if len(_PARSED) >= 64:
            _PARSED.clear()
        _PARSED[key] = options
    return options


_PARSED: dict[tuple[str, ...], SendOptions] = {}


def _parse_options(args: list[str]) -> SendOptions:
    if len(args) % 2:
        raise ScriptError(f"Each option must have a value!  Invalid option list: {tcl_list(args)}")
    o = SendOptions()
    for option, value in zip(args[0::2], args[1::2]):
        if option == "-atleastone":
            o.atleastone = boolean(value)
        elif option == "-debug":
            o.debug = boolean(value)
        elif option == "-queue":
            o.queue = boolean(value)
        elif option == "-usetls":
            o.usetls = boolean(value)
        elif option == "-tlspolicy":
            o.tlspolicy = value
        elif option == "-tlsimport":
            o.tlsimport = boolean(value)
        elif option == "-maxsecs":
            # expr {$value < 0 ? 0 : $value}
            o.maxsecs = "0" if tcl_less(value, "0") else value
        elif option == "-header":
            item = split_list(value)
            if len(item) != 2:
                raise ScriptError(f"-header expects a key and a value, not {value}")
            mixed, content = item
            lower = _tolower(mixed)
            if lower in DISALLOWED_HEADERS:
                raise ScriptError("Content-Type, Content-Transfer-Encoding, "
                                  "Content-MD5, and MIME-Version cannot be user-specified.")
            if lower not in o.headers:
                o.header_keys.append((lower, mixed))
                o.headers[lower] = []
            o.headers[lower].append(content)
        elif option == "-originator":
            o.originator = value
            # tcllib: an explicit empty originator means the null sender
            o.originator_given_empty = value == "" or o.originator_given_empty
        elif option == "-recipients":
            o.recipients = value
        elif option == "-servers":
            o.servers = value
        elif option == "-client":
            o.client = value
        elif option == "-ports":
            o.ports = value
        elif option == "-username":
            o.username = value
        elif option == "-password":
            o.password = value
        else:
            raise ScriptError(f"unknown option {option}")
    return o


def _tolower(s: str) -> str:
    from ..mime.parse_tcl import tolower
    return tolower(s)


def check_line_safety(o: SendOptions, originator: str, recipients: list[str]) -> None:
    """Refuse CR, LF and NUL where they would let a value forge protocol or
    header lines (tcllib sends them as they are: header injection)."""
    bad = _LINE_BREAKING.search

    def refuse(what: str) -> None:
        raise ScriptError(f"{what} contains a carriage return, line feed or NUL character",
                          ("TCLSMTP", "SMTP", "BADCHAR"))

    if bad(originator) or bad(o.originator):
        refuse("-originator")
    if bad(o.recipients) or any(bad(r) for r in recipients):
        refuse("-recipients")
    for what, addresses in (("-originator", [originator]), ("-recipients", recipients)):
        for address in addresses:
            if not envelope_safe(address):
                raise ScriptError(
                    f'{what}: the address "{address}" cannot go into an SMTP envelope: '
                    'it contains "<", ">" or a blank outside quotes (it would add '
                    'ESMTP parameters to MAIL FROM or RCPT TO)', ("TCLSMTP", "SMTP", "ADDRESS"))
    if bad(o.client):
        refuse("-client")
    if bad(o.username):
        refuse("-username")
    for lower, mixed in o.header_keys:
        if bad(mixed):
            shown = mixed.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0")
            refuse(f'the -header name "{shown}"')
        for value in o.headers[lower]:
            if bad(value):
                refuse(f"the -header {mixed} value")



_LINE_BREAKING = re.compile("[\r\n\0]")
_ENVELOPE_SPECIAL = re.compile('[<>" \t]')


def envelope_safe(address: str) -> bool:
    """Whether ``address`` stays one path inside ``<...>``: no "<" or ">"
    anywhere, no blank outside a quoted string (a server reads what follows
    a ">" or a blank as ESMTP parameters, e.g. ``NOTIFY=NEVER``)."""
    if not _ENVELOPE_SPECIAL.search(address):
        return True
    quoted = escaped = False
    for c in address:
        if c in "<>":
            return False
        if escaped:
            escaped = False
        elif quoted and c == "\\":
            escaped = True
        elif c == '"':
            quoted = not quoted
        elif not quoted and c in " \t":
            return False
    return True
