"""What tcllib's sendmessage decides before it connects: the envelope and
the headers it adds to the message.

Addresses are read with ``mime::parseaddress`` and headers read and set
with ``mime::getheader``/``mime::setheader``, as tcllib's smtp.tcl does,
through the mime engine (its primitives, or the functions behind them
where a send would otherwise pay for a Tcl-shaped round trip: parsed
addresses as dicts, the header check, set_header); the error texts are
tcllib's.
"""
from __future__ import annotations

from ..errors import ScriptError
from ..mime import commands as _mime_commands
from ..mime import functions as _mime_functions
from ..mime.model import HeaderEntry
from ..session import Session
from .options import SendOptions
from ..tcllist import tcl_list

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Optional

# The mime engine's primitives, called by name as tcllib's smtp.tcl calls
# mime:: commands (the smtp engine sits on the mime engine, below the table).
_MIME = {**_mime_commands.PRIMITIVES, **_mime_functions.PRIMITIVES}


def call(session: Session, name: str, *args: str) -> Any:
    return _MIME[name](session, *args)

# tcllib's default when parseaddress gives nothing: the braces keep "$from"
# from being substituted, so this is literally what a script sees.
_NO_ADDRESS = 'invalid address "$from"'


# A plain class, not a dataclass: importing dataclasses costs a tenth of a
# short script's start-up.
class Envelope:
    """The outcome of tcllib's header and address processing."""
    __slots__ = ("sender", "originator", "recipients", "bcc_recipients", "bcc_name",
                 "subject_option", "additions")
    sender: str                         # MAIL FROM
    originator: str                     # tcllib's $originator (the digest's From)
    recipients: list[str]               # RCPT TO, first transaction
    bcc_recipients: Optional[list[str]]   # None: no Bcc header (no digest)
    bcc_name: str                       # "Bcc" or "Resent-Bcc"
    subject_option: Optional[str]       # the first -header Subject value
    # the headers to append to the message, in tcllib's order
    additions: list[tuple[str, str]]

    def __init__(self, sender: str, originator: str, recipients: list[str],
                 bcc_recipients: Optional[list[str]], bcc_name: str,
                 subject_option: Optional[str],
                 additions: Optional[list[tuple[str, str]]] = None) -> None:
        self.sender = sender
        self.originator = originator
        self.recipients = recipients
        self.bcc_recipients = bcc_recipients
        self.bcc_name = bcc_name
        self.subject_option = subject_option
        self.additions = [] if additions is None else additions


def parse_addresses(session: Session, text: str) -> tuple[dict[str, str], ...]:
    """``mime::parseaddress text`` as property dicts (not to be changed)."""
    return _mime_functions.parsed_addresses(session, text)


def _first(session: Session, text: str) -> dict[str, str]:
    """tcllib's ``array set aprops {error ...}; array set aprops [lindex $addrs 0]``."""
    addrs = parse_addresses(session, text)
    props = {"error": _NO_ADDRESS}
    if addrs:
        props.update(addrs[0])
    return props


def _addresses(session: Session, text: str, who: str) -> list[str]:
    """Each address of ``text``; tcllib's error for the first that has one."""
    found = []
    for props in parse_addresses(session, text):
        error = props.get("error", _NO_ADDRESS)
        if error != "":
            raise ScriptError(f"error in {who}: {error}")
        found.append(props.get("address", ""))
    return found


# The headers tcllib's sendmessage looks at, (lower, mixed), plain and with
# the Resent- prefix that one Resent- header in -header puts on all of them.
_HEADER_NAMES = ("From", "Sender", "To", "cc", "Dcc", "Bcc", "Date", "Message-ID")
_PLAIN = tuple((name.lower(), name) for name in _HEADER_NAMES)
_RESENT = tuple(("resent-" + name.lower(), "Resent-" + name) for name in _HEADER_NAMES)


def plan_envelope(session: Session, token: str, o: SendOptions, user: str) -> Envelope:
    """tcllib's sendmessage up to (not including) its setheader loop."""
    keys = list(o.header_keys)                       # (lower, mixed), in order
    header = {k: list(v) for k, v in o.headers.items()}   # a key for each of keys

    resent = any(lower.startswith("resent-") for lower, _ in keys)
    ((from_l, from_m), (sender_l, sender_m), (to_l, to_m), (cc_l, cc_m), (dcc_l, dcc_m),
     (bcc_l, bcc_m), (date_l, date_m), (mid_l, mid_m)) = _RESENT if resent else _PLAIN

    def add(lower: str, mixed: str, value: str) -> None:
        if lower not in header:
            keys.append((lower, mixed))
            header[lower] = []
        header[lower].append(value)

    def drop(lower: str) -> None:
        keys[:] = [(k, m) for k, m in keys if k != lower]
        header.pop(lower, None)

    originator = o.originator
    if o.originator_given_empty:
        sender = ""                       # -originator "": the null sender
    else:
        who = "-originator"
        if originator == "":
            if from_l not in header:
                originator = user
            else:
                originator = ",".join(header[from_l])
                who = from_m
        if from_l not in header:
            add(from_l, from_m, originator)
        addrs = parse_addresses(session, originator)
        if len(addrs) > 1:
            raise ScriptError(f"too many mailboxes in {who}: {originator}")
        error = addrs[0].get("error", _NO_ADDRESS) if addrs else _NO_ADDRESS
        if error != "":
            raise ScriptError(f"error in {who}: {error}")
        sender = addrs[0].get("address", "")
        from_value = ",".join(header[from_l])
        if sender_l not in header and originator != from_value:
            props = _first(session, from_value)
            if props["error"] != "":
                raise ScriptError(f"error in {from_m}: {props['error']}")
            if props.get("address", "") != sender:
                add(sender_l, sender_m, props.get("address", ""))

    if o.recipients != "":
        recipients, who = o.recipients, "-recipients"
    elif to_l not in header:
        raise ScriptError(f'need -header "{to_m} ..."')
    else:
        recipients, who = ",".join(header[to_l]), to_m
        if cc_l in header:
            recipients += "," + ",".join(header[cc_l])
            who += "/" + cc_m
        if dcc_l in header:
            recipients += "," + ",".join(header[dcc_l])
            who += "/" + dcc_m
            drop(dcc_l)

    bcc_recipients: Optional[list[str]] = None
    if bcc_l in header:
        bcc_recipients = _addresses(session, ",".join(header[bcc_l]), bcc_m)
        drop(bcc_l)

    if to_l not in header:                # tcllib: "If there are no To headers, add "" to bcc list.  WHY??"
        add(bcc_l, bcc_m, "")

    valid = _addresses(session, recipients, who)

    if date_l not in header and not _has_header(session, token, date_l):
        add(date_l, date_m, str(call(session, "mime.parsedatetime", "-now", "proper")))
    if mid_l not in header and not _has_header(session, token, mid_l):
        add(mid_l, mid_m, str(call(session, "mime.uniqueID")))

    subject = header.get("subject")
    additions = [(mixed, value) for lower, mixed in keys for value in header[lower]]
    return Envelope(sender=sender, originator=originator, recipients=valid,
                    bcc_recipients=bcc_recipients, bcc_name=bcc_m,
                    subject_option=subject[0] if subject else None, additions=additions)


def _has_header(session: Session, token: str, key: str) -> bool:
    """tcllib: ``![catch {::mime::getheader $part $key}]`` (``key``: in
    lower case, not one getheader makes up: Date, Message-ID)."""
    try:
        part = _mime_commands.lookup(session, token, "header")
    except ScriptError:
        return False
    return key in part.state.headers


def apply_headers(session: Session, token: str, additions: list[tuple[str, str]]) -> None:
    """tcllib's loop of ``mime::setheader $part $mixed $value -mode append``."""
    if not additions:
        return
    part = _mime_commands.lookup(session, token, "header")
    for mixed, value in additions:
        _mime_commands.set_header(part, mixed, value, "append")


def build_bcc_digest(session: Session, token: str, env: Envelope) -> tuple[str, str]:
    """tcllib's Bcc copy: a multipart/digest wrapping the message as
    message/rfc822. Returns the (inner, outer) tokens."""
    inner = call(session, "mime.initialize", "-canonical", "message/rfc822",
                 "-header", tcl_list(["Content-Description", "Original Message"]),
                 "-parts", tcl_list([token]))
    subject = f"[{env.bcc_name}]"
    if env.subject_option is not None:
        subject += " " + env.subject_option
    date = str(call(session, "mime.parsedatetime", "-now", "proper"))
    message_id = str(call(session, "mime.uniqueID"))
    outer = call(session, "mime.initialize", "-canonical", "multipart/digest",
                 "-header", tcl_list(["From", env.originator]),
                 "-header", tcl_list(["Bcc", ""]),
                 "-header", tcl_list(["Date", date]),
                 "-header", tcl_list(["Subject", subject]),
                 "-header", tcl_list(["Message-ID", message_id]),
                 "-header", tcl_list(["Content-Description", "Blind Carbon Copy"]),
                 "-parts", tcl_list([inner]))
    return str(inner), str(outer)


def release(session: Session, *tokens: str) -> None:
    """tcllib: ``catch { ::mime::finalize $t -subordinates none }``."""
    for t in tokens:
        try:
            call(session, "mime.finalize", t, "-subordinates", "none")
        except ScriptError:
            pass


def check_no_nul(session: Session, token: str) -> None:
    """Refuse a message whose headers or parameters hold NUL, before sending.

    mime keeps NUL in header and parameter values, as tcllib does (getheader
    gives them back unchanged); on the wire a NUL in a header line is not
    allowed (RFC 5322) and servers cut or mangle the line there. tcllib sends
    it as it is."""
    part = session.tokens.get(token)
    stack: list = [part] if getattr(part, "state", None) is not None else []
    while stack:
        state = stack.pop().state
        for entry in state.headers.values():
            if any("\0" in value for value in entry.values):
                raise ScriptError(f"the message's {entry.mixed} header contains a NUL character: "
                                  "refused before sending", ("TCLSMTP", "SMTP", "BADCHAR"))
        for name, value in state.params:
            if "\0" in name or "\0" in value:
                shown = name.replace("\0", "\\0")
                raise ScriptError(f'the message\'s Content-Type parameter "{shown}" contains '
                                  "a NUL character: refused before sending",
                                  ("TCLSMTP", "SMTP", "BADCHAR"))
        stack.extend(state.parts)


def snapshot_headers(session: Session, token: str) -> Any:
    """The token's headers, to put back after the send (tcllib means to and
    fails: a typo, ``origheaderx``; docs/compat.md)."""
    part = session.tokens.get(token)
    state = getattr(part, "state", None)
    if state is None:
        return None
    return {k: HeaderEntry(e.mixed, list(e.values)) for k, e in state.headers.items()}


def restore_headers(session: Session, token: str, saved: Any) -> None:
    part = session.tokens.get(token)
    state = getattr(part, "state", None)
    if saved is None or state is None or state.finalized:
        return
    state.headers = saved
