"""Random, mostly-malformed messages built from the lines parsepart cares
about (headers, boundaries, continuations, CRs, encoded bodies), for
differential runs against tcllib."""
from __future__ import annotations

import random

HEADER_LINES = [
    "Subject: hello", "subject: again", "X-A: 1", "X-a: 2", "From: a@example.com",
    "Content-Type: multipart/mixed; boundary=B", "Content-Type: multipart/alternative; boundary=\"C\"",
    "Content-Type: text/plain; charset=utf-8", "Content-Type: text/html; charset=iso-8859-1",
    "Content-Type: message/rfc822", "Content-Type: message", "Content-Type: bogus",
    "Content-Type: multipart/mixed", "Content-Type: TEXT/Plain; Name=\"a b\"; charset=koi8-r",
    "Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: quoted-printable",
    "Content-Transfer-Encoding: 7bit", "Content-Transfer-Encoding: x-weird", "MIME-Version: 1.0",
    "Content-MD5: abc", " continued", "\tcontinued tab", "Subject:", "X-Cafe: caf\xe9",
    "X-Long: " + "y" * 300,
]
BAD_HEADER_LINES = ["no colon line", ": empty name"]
BODY_LINES = [
    "--B", "--B--", "--BX", "--B ", "--C", "--C--", "text line", "", "", "QUJD", "QUJDRA==",
    "QUJDR", "caf=E9 =\n", "soft=", "=41=42", "trailing   ", "\xff\x00 bytes", "--", "-B",
]


def _line_end(rng: random.Random, crlf: bool) -> str:
    if crlf:
        return rng.choices(["\r\n", "\n", "\r", "\r\r\n"], weights=[90, 6, 2, 2])[0]
    return rng.choices(["\n", "\r\n", "\r", "\r\r\n"], weights=[90, 6, 2, 2])[0]


def _headers(rng: random.Random, n: int) -> list[str]:
    pool = HEADER_LINES + BAD_HEADER_LINES if rng.random() < 0.1 else HEADER_LINES
    lines = [rng.choice(pool) for _ in range(n)]
    if lines and lines[0][:1] in (" ", "\t") and rng.random() < 0.8:
        lines[0] = "X-First: 1"
    return lines


def _part(rng: random.Random, depth: int) -> list[str]:
    """Headers, a blank line, and a body that is often a (broken) multipart."""
    lines = _headers(rng, rng.randint(0, 4))
    kind = rng.random()
    if kind < 0.6 and rng.random() < 0.9:
        lines = [line for line in lines if not line.lower().startswith("content-type")]
    if depth < 2 and kind < 0.5:
        boundary = "BC"[depth]
        lines.append(f"Content-Type: multipart/mixed; boundary={boundary}")
        if rng.random() < 0.9:
            lines.append("")
        for _ in range(rng.randint(0, 3)):
            lines.append(f"--{boundary}")
            lines += _part(rng, depth + 1)
        if rng.random() < 0.8:
            lines.append(f"--{boundary}--")
    elif depth < 2 and kind < 0.6:
        lines += ["Content-Type: message/rfc822", ""] + _part(rng, depth + 1)
    else:
        if rng.random() < 0.9:
            lines.append("")
        lines += [rng.choice(BODY_LINES) for _ in range(rng.randint(0, 8))]
    return lines


def message(rng: random.Random) -> bytes:
    """One random message (bytes; characters 0-255)."""
    lines = _part(rng, 0)
    crlf = rng.random() < 0.4
    ends = [_line_end(rng, crlf) for _ in lines]
    text = "".join(line + end for line, end in zip(lines, ends))
    if text and rng.random() < 0.2:
        text = text[:rng.randint(0, len(text))]  # truncated anywhere
    return text.encode("latin-1")
