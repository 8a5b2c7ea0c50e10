"""Capture mode: an embedded SMTP server on loopback receives every send.

For each delivered message it prints the envelope and the message as
received (or, with ``summary``, only the headers and the MIME structure with
part sizes), and can save it as an .eml file (with the envelope beside it as
JSON). Nothing leaves the machine. Messages of any size are taken unless a
``max_size`` is set; the server keeps none of them in memory after printing.
"""
from __future__ import annotations

import codecs
import email.parser
import email.policy
import json
import re
import threading
from pathlib import Path
from typing import Optional, TextIO

from .server import Delivery, RecordingServer

_SAVED = re.compile(r"message-(\d+)\.eml$")
LONGEST_LINE = 64 * 1024 * 1024


class Capture:
    def __init__(self, out: TextIO, directory: Optional[str] = None, *,
                 max_size: Optional[int] = None, summary: bool = False) -> None:
        self.out = out
        self.directory = Path(directory) if directory else None
        self.summary = summary
        self.count = 0
        self._lock = threading.Lock()
        # size: the SIZE advertised and enforced (552 above it); None: no limit.
        # Lines longer than RFC 5321's 1000 bytes are taken too: tcllib sends
        # them as they are, and the servers scripts use accept them.
        self.server = RecordingServer(on_delivery=self._delivered, size=max_size,
                                      keep_deliveries=False, line_length_limit=LONGEST_LINE)

    @property
    def route(self) -> tuple[str, int]:
        return (self.server.host, self.server.port)

    def start(self) -> "Capture":
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def _save(self, delivery: Delivery) -> tuple[Path, int]:
        """DIR/message-NNN.eml numbered after every message already there
        (created exclusively, so runs sharing the directory keep all);
        returns the file and NNN."""
        assert self.directory is not None
        taken = [int(m.group(1)) for p in self.directory.iterdir()
                 if (m := _SAVED.fullmatch(p.name))]
        number = max(taken, default=0) + 1
        while True:
            eml = self.directory / f"message-{number:03d}.eml"
            try:
                with open(eml, "xb") as f:
                    f.write(delivery.data)
                break
            except FileExistsError:
                number += 1
        eml.with_suffix(".json").write_text(json.dumps(
            {"mail_from": delivery.mail_from, "rcpt_tos": delivery.rcpt_tos,
             "mail_options": delivery.mail_options}, indent=2) + "\n")
        return eml, number

    def _delivered(self, delivery: Delivery) -> None:
        with self._lock:
            self.count += 1
            # With a directory, the number is the saved file's (runs go on
            # numbering after the files already there).
            saved, number = self._save(delivery) if self.directory is not None else (None, self.count)
            self.out.write("\n".join([
                f"==== tclsmtp capture: message {number} ====",
                f"MAIL FROM: <{delivery.mail_from}>",
                *(f"RCPT TO: <{r}>" for r in delivery.rcpt_tos)]) + "\n")
            if self.summary:
                self.out.write("\n".join(summarize(delivery.data)) + "\n")
            else:
                self.out.write("---- message as received ----\n")
                _write_text(self.out, delivery.data)
            if saved is not None:
                self.out.write(f"---- saved as {saved} ----\n")
            self.out.flush()


def _write_text(out: TextIO, data: bytes, piece: int = 1 << 20) -> None:
    """The message as text with LF line ends, a piece at a time (a copy of
    a 100 MB message as one string would double the memory it takes)."""
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    last, at = "", 0
    while at < len(data):
        end = at + piece
        if data[end - 1:end] == b"\r":
            end += 1                                  # keep CR LF together
        text = decoder.decode(data[at:end]).replace("\r\n", "\n")
        at = end
        if text:
            out.write(text)
            last = text[-1]
    if last != "\n":
        out.write("\n")


def summarize(data: bytes) -> list[str]:
    """The headers as received, then one line per MIME part: its type, file
    name, transfer encoding and size in bytes as received."""
    head = data[:max(data.find(b"\r\n\r\n"), 0)]
    out = ["---- headers ----", *head.decode("utf-8", "replace").split("\r\n"),
           f"---- structure ({len(data)} bytes) ----"]
    _walk(data, 0, len(data), 0, out)
    return out


def _walk(data: bytes, start: int, end: int, depth: int, out: list[str]) -> None:
    """One part, data[start:end], and its subparts. The boundaries are found
    in place: email's parser would hold several copies of a 100 MB message."""
    if data.startswith(b"\r\n", start):                 # no headers at all
        header_end, body = start, start + 2
    else:
        found = data.find(b"\r\n\r\n", start, end)
        header_end, body = (end, end) if found < 0 else (found, found + 4)
    headers = email.parser.BytesHeaderParser(policy=email.policy.compat32).parsebytes(
        data[start:header_end])
    words = [headers.get_content_type()]
    name = headers.get_filename()
    if name:
        words.append(f'"{name}"')
    encoding = headers.get("Content-Transfer-Encoding")
    if encoding:
        words.append(str(encoding).strip().lower())
    line = "  " * depth + " ".join(words)
    boundary = headers.get_boundary() if headers.get_content_maintype() == "multipart" else None
    if boundary:
        delimiter = b"\r\n--" + boundary.encode("ascii", "replace")
        # The first delimiter may open the body; each one ends its line.
        marks, at = [], body - 2
        while True:
            at = data.find(delimiter, at, end)
            if at < 0:
                break
            line_end = data.find(b"\r\n", at + len(delimiter), end)
            closing = data.startswith(b"--", at + len(delimiter))
            marks.append((at, end if line_end < 0 else line_end + 2, closing))
            if closing:
                break
            at += len(delimiter)
        subparts = [(after, marks[i + 1][0]) for i, (_, after, closing) in enumerate(marks[:-1])
                    if not closing]
        count = len(subparts)
        out.append(f"{line}, {count} part{'' if count == 1 else 's'}")
        for sub_start, sub_end in subparts:
            _walk(data, sub_start, sub_end, depth + 1, out)
    elif headers.get_content_type() == "message/rfc822" and body < end:
        out.append(f"{line}, 1 part")
        _walk(data, body, end, depth + 1, out)
    else:
        out.append(f"{line}, {end - body} bytes")
