"""Test helpers for projects that embed Tcl mail code in Python (a pytest plugin).

With tclsmtp installed, pytest finds the ``tcl_mail`` fixture by itself:

    def test_welcome_mail(tcl_mail):
        tcl_mail.source("mailer.tcl")
        tcl_mail.eval('send_welcome ann@example.com "Ann"')
        msg = tcl_mail.message                      # exactly one was sent
        assert msg.rcpt_tos == ["ann@example.com"]
        assert msg["Subject"] == "Welcome, Ann"
        assert "Hello Ann" in msg.text

``tcl_mail.interp`` is a ``tkinter.Tcl()`` with tclsmtp installed, so
``package require smtp``/``mime`` load tclsmtp, and every
``smtp::sendmessage`` goes to a recording SMTP server on 127.0.0.1 whatever
its ``-servers``/``-ports`` say. Nothing leaves the machine.

Outside pytest, ``capture()`` gives the same object as a context manager.

This module is loaded by pytest in every session of a project that has
tclsmtp installed, so it imports nothing heavy until a fixture is used.
"""
from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterator, Optional

if TYPE_CHECKING:                                  # pragma: no cover
    from email.message import EmailMessage

    from .server import Delivery, RecordingServer

__all__ = ["TclMail", "CapturedMessage", "Attachment", "capture", "tcl_mail"]


@dataclass
class Attachment:
    """A part of a captured message that carries a file (or says it is one)."""
    filename: Optional[str]
    content_type: str
    content: bytes                       # transfer encoding removed

    @property
    def text(self) -> str:
        """The content as text, in the part's charset (UTF-8 if none)."""
        return self.content.decode(_charset_or_utf8(self.content_type), "replace")


def _lf(text: str) -> str:
    # On the wire every line ends in CRLF; tests compare with Python strings.
    return text.replace("\r\n", "\n")


def _charset_or_utf8(content_type: str) -> str:
    import email.message
    m = email.message.Message()
    m["Content-Type"] = content_type
    charset = m.get_content_charset() or "utf-8"
    try:
        "".encode(charset)
        return charset
    except LookupError:
        return "utf-8"


class CapturedMessage:
    """One message the recording server received: envelope and bytes.

    ``msg["Subject"]`` reads a header (decoded, as Python's email package
    gives it); ``.raw_headers`` are the header lines exactly as sent.
    """

    def __init__(self, delivery: "Delivery") -> None:
        self._delivery = delivery
        self._message: Optional["EmailMessage"] = None

    # -- envelope ---------------------------------------------------------
    @property
    def mail_from(self) -> str:
        """The envelope sender (MAIL FROM), '' for the null sender."""
        return self._delivery.mail_from

    @property
    def rcpt_tos(self) -> list[str]:
        """The envelope recipients (RCPT TO) the server accepted, in order."""
        return list(self._delivery.rcpt_tos)

    @property
    def data(self) -> bytes:
        """The message exactly as received (CRLF line ends, dots unstuffed)."""
        return self._delivery.data

    # -- parsed view --------------------------------------------------------
    @property
    def email(self) -> "EmailMessage":
        """The message parsed by Python's email package (policy.default)."""
        if self._message is None:
            import email
            import email.policy
            self._message = email.message_from_bytes(self.data, policy=email.policy.default)
        return self._message

    def __getitem__(self, name: str) -> Optional[str]:
        value = self.email[name]
        return None if value is None else str(value)

    def get_all(self, name: str) -> list[str]:
        return [str(v) for v in self.email.get_all(name, [])]

    @property
    def raw_headers(self) -> list[tuple[str, str]]:
        """(name, value) pairs as sent, folded lines joined, nothing decoded."""
        head = self.data.split(b"\r\n\r\n", 1)[0].decode("utf-8", "surrogateescape")
        pairs: list[tuple[str, str]] = []
        for line in head.split("\r\n"):
            if line[:1] in (" ", "\t") and pairs:
                name, value = pairs[-1]
                pairs[-1] = (name, value + "\r\n" + line)
            elif ":" in line:
                name, _, value = line.partition(":")
                pairs.append((name, value[1:] if value.startswith(" ") else value))
        return pairs

    @property
    def subject(self) -> Optional[str]:
        return self["Subject"]

    @property
    def content_type(self) -> str:
        return self.email.get_content_type()

    def _body_part(self, subtype: str) -> Any:
        return self.email.get_body(preferencelist=(subtype,))

    @property
    def text(self) -> Optional[str]:
        """The decoded text/plain body (the first one), lines ending in \\n; or None."""
        part = self._body_part("plain")
        return None if part is None else _lf(part.get_content())

    @property
    def html(self) -> Optional[str]:
        """The decoded text/html body (the first one), lines ending in \\n; or None."""
        part = self._body_part("html")
        return None if part is None else _lf(part.get_content())

    @property
    def parts(self) -> list[Attachment]:
        """Every leaf part, in order, with its content decoded."""
        return [self._as_attachment(p) for p in self.email.walk() if not p.is_multipart()]

    @property
    def attachments(self) -> list[Attachment]:
        """Leaf parts that name a file or are marked as attachments."""
        out = []
        for p in self.email.walk():
            if p.is_multipart():
                continue
            if p.get_filename() or p.get_param("name") or \
                    p.get_content_disposition() == "attachment":
                out.append(self._as_attachment(p))
        return out

    @staticmethod
    def _as_attachment(part: Any) -> Attachment:
        payload = part.get_payload(decode=True)
        filename = part.get_filename() or part.get_param("name")
        return Attachment(filename=str(filename) if filename else None,
                          content_type=str(part.get("Content-Type", part.get_content_type())),
                          content=payload if isinstance(payload, bytes) else b"")

    def __repr__(self) -> str:
        return (f"<CapturedMessage from {self.mail_from!r} to {self.rcpt_tos!r} "
                f"subject {self.subject!r}>")


class TclMail:
    """A Tcl interpreter with tclsmtp whose every send is captured."""

    def __init__(self, *, server_options: Optional[dict[str, Any]] = None) -> None:
        import tkinter

        import tclsmtp
        from .server import RecordingServer

        self.server: "RecordingServer" = RecordingServer(**(server_options or {})).start()
        try:
            self.interp = tkinter.Tcl()
            tclsmtp.install(self.interp, route=(self.server.host, self.server.port))
        except BaseException:
            self.server.stop()
            raise

    # -- running Tcl --------------------------------------------------------
    def eval(self, script: str) -> str:
        """Evaluate Tcl code; a Tcl error raises tkinter.TclError."""
        return self.interp.eval(script)

    def call(self, *words: Any) -> Any:
        """Call one Tcl command with these words (no quoting needed)."""
        return self.interp.call(*words)

    def source(self, path: "os.PathLike[str] | str", *args: str) -> str:
        """Source a script as tclsh would run it: argv0, argv, argc set."""
        path = os.fspath(path)
        tk = self.interp.tk
        tk.call("set", "::argv0", path)
        tk.call("set", "::argv", tuple(args))
        tk.call("set", "::argc", len(args))
        return tk.call("source", path)

    # -- what was sent ------------------------------------------------------
    @property
    def messages(self) -> list[CapturedMessage]:
        """Every message received so far, in order."""
        with self.server.lock:
            return [CapturedMessage(d) for d in self.server.deliveries]

    @property
    def message(self) -> CapturedMessage:
        """The one message sent; AssertionError if there were none or several."""
        messages = self.messages
        if len(messages) != 1:
            raise AssertionError(f"expected exactly one message, got {len(messages)}: "
                                 f"{messages!r}")
        return messages[0]

    def clear(self) -> None:
        """Forget the messages received so far."""
        with self.server.lock:
            self.server.deliveries.clear()
            self.server.connections.clear()

    @property
    def conversations(self) -> list[list[str]]:
        """The client's lines of every SMTP connection (for protocol asserts)."""
        return self.server.client_lines

    def close(self) -> None:
        self.server.stop()


@contextlib.contextmanager
def capture(**server_options: Any) -> Iterator[TclMail]:
    """``with capture() as mail:`` -- the fixture, for unittest and scripts.

    ``server_options`` go to tclsmtp.server.RecordingServer, e.g.
    ``refuse={"x@example.com": "550 5.1.1 no such user"}`` or ``size=None``.
    """
    mail = TclMail(server_options=server_options)
    try:
        yield mail
    finally:
        mail.close()


try:                                     # the pytest plugin half
    import pytest
except ImportError:                      # pragma: no cover - used without pytest
    pytest = None                        # type: ignore[assignment]

if pytest is not None:
    @pytest.fixture
    def tcl_mail(request: Any) -> Iterator[TclMail]:
        """A tkinter.Tcl() with tclsmtp; every smtp::sendmessage is captured.

        Server options (see tclsmtp.server.RecordingServer) can be given
        with ``@pytest.mark.tcl_mail(refuse={...}, size=None)``.
        """
        marker = request.node.get_closest_marker("tcl_mail")
        options = dict(marker.kwargs) if marker is not None else {}
        with capture(**options) as mail:
            yield mail

    def pytest_configure(config: Any) -> None:
        config.addinivalue_line(
            "markers", "tcl_mail(**server_options): options of the tcl_mail fixture's "
                       "recording SMTP server (refuse=, size=, credentials=, ...)")
