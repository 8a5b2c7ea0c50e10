"""Tokens for messages built in Python (``tclsmtp.mime.token_for_message``)."""
from __future__ import annotations

from email.message import Message

from ..session import Session
from .commands import token_of
from .model import MimePart, as_mimepart


def token_for_message(session: Session, msg: Message) -> str:
    """A token (with subordinate tokens ``token-1``, ...) for any email Message.

    A MimePart gets a token naming it (the one it has in this session, if
    any; its subordinates get theirs when asked for). Any other message is copied into MimeParts: canonical parts holding the
    decoded body, its transfer encoding, type, parameters and headers (as
    the message's policy folds them), so every mime:: command works on it
    and ``mime::finalize`` removes the subordinates with it.
    """
    if isinstance(msg, MimePart) and not msg.state.finalized:
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
    stack = [(part, token, iter(part.state.parts))]      # any depth: no recursion
    while stack:
        parent, parent_name, subs = stack[-1]
        sub = next(subs, None)
        if sub is None:
            stack.pop()
            continue
        parent.state.cid += 1
        name = f"{parent_name}-{parent.state.cid}"
        session.add_token(name, sub)
        if sub.state.token is None:  # a MimePart that has a name keeps it
            sub.state.token = name
        stack.append((sub, name, iter(sub.state.parts)))
