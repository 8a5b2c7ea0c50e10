"""Tokens for messages built in Python (``tclsmtp.mime.token_for_message``)."""
from __future__ import annotations

from email.message import Message
from email.utils import collapse_rfc2231_value

from ..session import Session
from .model import STRUCTURAL, HeaderEntry, MimePart, TokenState
from .parse_tcl import tolower

_KNOWN_ENCODINGS = ("7bit", "8bit", "binary", "quoted-printable", "base64")


def token_for_message(session: Session, msg: Message) -> str:
    """A token (with subordinate tokens ``token-1``, ...) for any email Message.

    A MimePart gets a token naming it (the one it has in this session, if
    any; its subordinates get theirs when asked for). Any other message is copied into MimeParts: canonical parts holding the
    decoded body, its transfer encoding, type, parameters and headers (as
    the message's policy folds them), so every mime:: command works on it
    and ``mime::finalize`` removes the subordinates with it.
    """
    if isinstance(msg, MimePart) and not msg.state.finalized:
        from .commands import token_of
        return token_of(session, msg)
    token = session.new_token(None)
    part = as_mimepart(msg)
    session.add_token(token, part)
    part.state.token = token
    _name_subordinates(session, part, token)
    return token


def _name_subordinates(session: Session, part: MimePart, token: str) -> None:
    """token-1, token-2, ... (and token-1-1, ...) as tcllib names the parts
    it makes itself, so ``mime::finalize`` takes them along."""
    for sub in part.state.parts:
        part.state.cid += 1
        name = f"{token}-{part.state.cid}"
        session.add_token(name, sub)
        if sub.state.token is None:  # a MimePart that has a name keeps it
            sub.state.token = name
        _name_subordinates(session, sub, name)


def as_mimepart(msg: Message) -> MimePart:
    """``msg`` as a MimePart tree (itself if it is one); no tokens."""
    if isinstance(msg, MimePart):
        return msg
    return _copy(msg)


def _header_value(msg: Message, name: str, value: object) -> str:
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
        state.parts = [as_mimepart(sub) for sub in msg.get_payload()]
    else:
        cte = (msg.get("content-transfer-encoding") or "").strip().lower()
        state.encoding = cte if cte in _KNOWN_ENCODINGS else ""
        payload = msg.get_payload(decode=True)
        state.value, state.body = "string", payload if isinstance(payload, bytes) else b""
    return MimePart(state)
