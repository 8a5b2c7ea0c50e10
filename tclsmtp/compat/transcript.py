"""Reading a recorded SMTP connection: the conversation and its messages.

The recording server keeps, per connection, the client's bytes as they
arrived and each reply line of the server, in order. Every client line gets
exactly one (possibly multi-line) reply, except the greeting (a reply to no
line) and a message's content after `354` (one reply after the final dot),
so the two streams can be paired without guessing.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Optional

from ..server import Connection

SIZE_PARAM = re.compile(rb"\bSIZE=(\d+)", re.I)


@dataclass
class Transaction:
    """One MAIL FROM ... DATA exchange of a connection."""
    connection: int                      # 1-based
    mail: bytes                          # the MAIL FROM line
    rcpts: list[bytes] = field(default_factory=list)
    data: Optional[bytes] = None         # the message, unstuffed (None: never sent)
    reply: Optional[bytes] = None        # the server's reply to the final dot

    @property
    def size(self) -> Optional[int]:
        m = SIZE_PARAM.search(self.mail)
        return int(m.group(1)) if m else None


@dataclass
class Conversation:
    """One connection as lines: (who, line) with who "C" (client) or "S"."""
    number: int
    lines: list[tuple[str, bytes]] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)


def _replies(events: list[tuple[str, bytes]]) -> list[list[bytes]]:
    """Server lines grouped into replies ("250-a", "250 b" is one reply)."""
    replies: list[list[bytes]] = []
    current: list[bytes] = []
    for who, line in events:
        if who != "S":
            continue
        current.append(line)
        if not (len(line) >= 4 and line[3:4] == b"-"):
            replies.append(current)
            current = []
    if current:
        replies.append(current)
    return replies


def unstuff(content: bytes) -> bytes:
    """RFC 5321 4.5.2: a line that starts with a dot lost one on the wire."""
    lines = content.split(b"\r\n")
    return b"\r\n".join(line[1:] if line.startswith(b".") else line for line in lines)


def read_connection(number: int, connection: Connection) -> Conversation:
    """Pair the client's lines with the server's replies."""
    events = list(connection.transcript)
    client = b"".join(chunk for who, chunk in events if who == "C")
    replies = iter(_replies(events))
    conv = Conversation(number)

    def reply() -> Optional[list[bytes]]:
        r = next(replies, None)
        if r is not None:
            conv.lines.extend(("S", line) for line in r)
        return r

    reply()                                       # the greeting
    pos = 0
    current: Optional[Transaction] = None
    pipelining = False                            # the server offered PIPELINING
    accepted = 0                                  # RCPTs of the transaction accepted
    mail_refused = False                          # the last MAIL was refused
    while pos < len(client):
        end = client.find(b"\r\n", pos)
        if end < 0:                               # a last line without CRLF
            conv.lines.append(("C", client[pos:] + b" <no CRLF>"))
            break
        line = client[pos:end]
        pos = end + 2
        conv.lines.append(("C", line))
        verb = line.split(b" ", 1)[0].split(b":", 1)[0].upper()
        r = reply()
        code = r[-1][:3] if r else b""
        if verb in (b"EHLO", b"HELO"):
            pipelining = any(x[4:].strip().upper() == b"PIPELINING" for x in r or [])
        if pipelining and verb in (b"RCPT", b"DATA") and code != b"354" and (
                mail_refused or (verb == b"DATA" and current is not None and not accepted)):
            # A pipelining client (RFC 2920) sends the RCPTs and DATA before
            # it knows that MAIL, or every RCPT, was refused; tcllib, which
            # never pipelines, would not have sent them. Such a command and
            # its refusal are left out so that the two conversations
            # compare (docs/compat-harness.md).
            del conv.lines[-1 - len(r or []):]
            continue
        if verb == b"MAIL":
            current = Transaction(number, line)
            conv.transactions.append(current)
            accepted = 0
            mail_refused = code != b"250"
        elif verb == b"RCPT" and current is not None:
            current.rcpts.append(line)
            accepted += code in (b"250", b"251")
        elif verb == b"RSET":
            current = None
            mail_refused = False
        elif verb == b"DATA" and code == b"354":
            if client.startswith(b".\r\n", pos):  # an empty message
                content, pos = b"", pos + 3
            else:
                stop = client.find(b"\r\n.\r\n", pos)
                if stop < 0:                      # the client never finished
                    content, pos = client[pos:], len(client)
                else:
                    content, pos = client[pos:stop + 2], stop + 5
            if current is None:                   # DATA without MAIL: keep the bytes
                current = Transaction(number, b"")
                conv.transactions.append(current)
            current.data = unstuff(content)
            index = sum(1 for t in conv.transactions if t.data is not None)
            conv.lines.append(("C", b"<message %d of this connection>" % index))
            r = reply()
            current.reply = b"\r\n".join(r) if r else None
            current = None
    while reply() is not None:                    # replies to nothing the client said
        pass
    return conv
