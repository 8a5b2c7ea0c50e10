"""A recording SMTP server on loopback, built on aiosmtpd.

Capture mode, the test helpers (tclsmtp.testing), the compatibility harness
and our own tests all use it. It records, per connection, every byte the
client sent (after TLS is removed), and per accepted transaction the
envelope and the message exactly as received.
"""
from __future__ import annotations

import asyncio
import logging
import ssl
import threading
import warnings
import weakref
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional

from aiosmtpd.smtp import SMTP, AuthResult, Envelope, LoginPassword, Session


def _quiet_login_data(record: logging.LogRecord) -> bool:
    # aiosmtpd's own AUTH path sets the deprecated Session.login_data and
    # logs a warning on every login; it says nothing to our users.
    return "login_data is deprecated" not in record.getMessage()


logging.getLogger("mail.log").addFilter(_quiet_login_data)


@dataclass
class Delivery:
    """One accepted MAIL transaction."""
    mail_from: str
    rcpt_tos: list[str]
    data: bytes                       # as received, CRLF line ends, unstuffed
    mail_options: list[str] = field(default_factory=list)

    @property
    def message(self):
        """The delivered message parsed by Python's email package."""
        import email
        import email.policy
        return email.message_from_bytes(self.data, policy=email.policy.default)


@dataclass
class Connection:
    """What one client sent on one connection, and the server's replies.

    ``transcript`` keeps both directions in order: ("C", bytes the client
    sent, as they arrived) and ("S", one reply line without CRLF).
    """
    client_bytes: bytearray = field(default_factory=bytearray)
    transcript: list[tuple[str, bytes]] = field(default_factory=list)
    closed: bool = False              # the connection has ended
    keep_bytes: bool = True           # False: client_bytes and transcript stay empty
    hang_up: Optional[Callable[[], None]] = None   # closes it from the server's side

    @property
    def lines(self) -> list[str]:
        text = bytes(self.client_bytes).decode("latin-1")
        return text.split("\r\n")[:-1] if text.endswith("\r\n") else text.split("\r\n")


class _Handler:
    def __init__(self, server: "RecordingServer") -> None:
        self.server = server

    async def handle_MAIL(self, smtp: SMTP, session: Session, envelope: Envelope,
                          address: str, mail_options: list[str]) -> str:
        limit = self.server.message_limit
        if limit is not None and getattr(session, "delivered", 0) >= limit:
            # As exim and postfix do when a connection has sent its share:
            # say 421 and hang up (once the reply is written).
            transport = smtp.transport
            if transport is not None:
                smtp.loop.call_soon(transport.close)
            return "421 4.7.0 too many messages on this connection"
        refusal = self.server.refuse_senders.get(address.lower())
        if refusal:
            return refusal
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_RCPT(self, smtp: SMTP, session: Session, envelope: Envelope,
                          address: str, rcpt_options: list[str]) -> str:
        refusal = self.server.refuse.get(address.lower())
        if refusal:
            return refusal
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, smtp: SMTP, session: Session, envelope: Envelope) -> str:
        if self.server.data_delay:           # a slow server (-maxsecs tests)
            await asyncio.sleep(self.server.data_delay)
        if self.server.data_reply != "250 OK":
            return self.server.data_reply
        delivery = Delivery(envelope.mail_from or "", list(envelope.rcpt_tos),
                            bytes(envelope.original_content or b""),
                            list(envelope.mail_options))
        # (our own count, kept on aiosmtpd's per-connection Session)
        setattr(session, "delivered", getattr(session, "delivered", 0) + 1)
        if self.server.keep_deliveries:
            with self.server.lock:
                self.server.deliveries.append(delivery)
        if self.server.on_delivery:
            self.server.on_delivery(delivery)
        return "250 OK"


async def _offer_pipelining(smtp: SMTP, session: Session, envelope: Envelope,
                            hostname: str, responses: list[str]) -> list[str]:
    """aiosmtpd's EHLO hook: its reply with PIPELINING before the last line.
    (With the hook, aiosmtpd leaves remembering the client's name to it.)"""
    session.host_name = hostname
    return [*responses[:-1], "250-PIPELINING", responses[-1]]


class _RecordingSMTP(SMTP):
    """aiosmtpd's SMTP that keeps every byte the client sends."""

    def __init__(self, handler: Any, connection: Connection, greeting: Optional[str],
                 ehlo: bool = True, line_length_limit: Optional[int] = None,
                 **kwargs: Any) -> None:
        if line_length_limit is not None:     # read by aiosmtpd's __init__ and DATA
            self.line_length_limit = line_length_limit
        super().__init__(handler, **kwargs)
        self._record = connection
        self._greeting = greeting
        self._ehlo = ehlo

    def data_received(self, data: bytes) -> None:
        # Called with cleartext for plain, STARTTLS and implicit TLS alike.
        if self._record.keep_bytes:
            self._record.client_bytes += data
            self._record.transcript.append(("C", bytes(data)))
        super().data_received(data)

    def connection_made(self, transport: Any) -> None:
        def hang_up() -> None:
            self.loop.call_soon_threadsafe(transport.close)
        self._record.hang_up = hang_up
        super().connection_made(transport)

    def connection_lost(self, error: Optional[Exception]) -> None:
        self._record.closed = True
        super().connection_lost(error)

    async def push(self, status: Any) -> None:
        if self._record.keep_bytes:
            line = status.encode("utf-8") if isinstance(status, str) else bytes(status)
            self._record.transcript.append(("S", line))
        await super().push(status)

    async def smtp_EHLO(self, hostname: str) -> None:
        if not self._ehlo:               # an RFC 821 server: HELO only
            await self.push('500 Error: command "EHLO" not recognized')
            return
        await super().smtp_EHLO(hostname)

    async def _handle_client(self) -> None:
        if self._greeting is not None:     # e.g. "421 busy": say it and hang up
            await self.push(self._greeting)
            if self.transport is not None:
                self.transport.close()
            return
        await super()._handle_client()


class RecordingServer:
    """An SMTP server on 127.0.0.1, in its own thread, that records.

    Use as a context manager, or call start()/stop(). ``port`` is known after
    start(). Options: ``tls_context`` offers STARTTLS; ``implicit_tls`` wraps
    the connection from the first byte instead (port 465 style);
    ``credentials`` {user: password} enables AUTH (PLAIN, LOGIN, and any
    ``auth_MECH`` methods of ``auth_handlers``); ``refuse`` maps recipient
    addresses to the reply given to their RCPT; ``refuse_senders`` does the
    same for MAIL FROM; ``greeting`` replaces the 220 greeting (and closes);
    ``size`` is the SIZE advertised and enforced (None: none, no limit); ``auth_mechanisms`` limits
    the AUTH mechanisms offered to these names (None: all available);
    ``ehlo=False`` makes an RFC 821 server that only knows HELO;
    ``auth_required`` refuses MAIL before a successful AUTH (530);
    ``data_delay`` waits that many seconds before answering the final dot;
    ``keep_deliveries=False`` keeps no Delivery in ``deliveries`` and no
    bytes in ``connections`` (capture mode: ``on_delivery`` alone sees each
    message); ``line_length_limit``
    replaces aiosmtpd's 1001 bytes (RFC 5321's limit: longer lines get
    "500 Line too long");
    ``message_limit`` answers MAIL with 421 and hangs up once a connection
    has delivered that many messages;
    ``pipelining`` offers PIPELINING (RFC 2920) in the EHLO reply. aiosmtpd
    honours it as it is: it reads commands from a buffered stream, one after
    the other, and answers each in order, however many arrived in one packet.
    """

    def __init__(self, *, host: str = "127.0.0.1", port: int = 0,
                 tls_context: Optional[ssl.SSLContext] = None,
                 implicit_tls: bool = False,
                 credentials: Optional[dict[str, str]] = None,
                 auth_handlers: Iterable[Any] = (),
                 auth_require_tls: bool = False,
                 auth_required: bool = False,
                 refuse: Optional[dict[str, str]] = None,
                 data_reply: str = "250 OK",
                 greeting: Optional[str] = None,
                 size: Optional[int] = 33554432,
                 hostname: str = "localhost",
                 on_delivery: Optional[Callable[[Delivery], None]] = None,
                 refuse_senders: Optional[dict[str, str]] = None,
                 auth_mechanisms: Optional[Iterable[str]] = None,
                 ehlo: bool = True,
                 data_delay: float = 0.0,
                 keep_deliveries: bool = True,
                 line_length_limit: Optional[int] = None,
                 pipelining: bool = False,
                 message_limit: Optional[int] = None) -> None:
        self.host = host
        self.port = port
        self.tls_context = tls_context
        self.implicit_tls = implicit_tls
        self.credentials = credentials
        self.auth_handlers = list(auth_handlers)
        self.auth_require_tls = auth_require_tls
        self.auth_required = auth_required
        self.refuse = {k.lower(): v for k, v in (refuse or {}).items()}
        self.data_reply = data_reply
        self.greeting = greeting
        self.size = size
        self.hostname = hostname
        self.on_delivery = on_delivery
        self.refuse_senders = {k.lower(): v for k, v in (refuse_senders or {}).items()}
        self.auth_mechanisms = (None if auth_mechanisms is None
                                else [m.upper() for m in auth_mechanisms])
        self.ehlo = ehlo
        self.data_delay = data_delay
        self.keep_deliveries = keep_deliveries
        self.line_length_limit = line_length_limit
        self.pipelining = pipelining
        self.message_limit = message_limit
        self.deliveries: list[Delivery] = []
        self.connections: list[Connection] = []
        self.lock = threading.Lock()
        self._loop: Optional[asyncio.AbstractEventLoop] = None
        self._thread: Optional[threading.Thread] = None
        self._server: Optional[asyncio.base_events.Server] = None
        self._protocols: "weakref.WeakSet[_RecordingSMTP]" = weakref.WeakSet()

    # -- the handler object aiosmtpd calls; extra auth_MECH methods join it
    def _handler(self) -> Any:
        handler = _Handler(self)
        for extra in self.auth_handlers:
            for name in dir(extra):
                if name.startswith("auth_"):
                    setattr(handler, name, getattr(extra, name))
        if self.pipelining:
            setattr(handler, "handle_EHLO", _offer_pipelining)   # aiosmtpd looks handle_EHLO up
        return handler

    def _authenticator(self, server: SMTP, session: Session, envelope: Envelope,
                       mechanism: str, auth_data: Any) -> AuthResult:
        if isinstance(auth_data, LoginPassword) and self.credentials is not None:
            user = auth_data.login.decode("utf-8", "replace")
            password = auth_data.password.decode("utf-8", "replace")
            ok = self.credentials.get(user) == password
            return AuthResult(success=ok, handled=False)
        return AuthResult(success=False, handled=False)

    def _factory(self) -> SMTP:
        connection = Connection(keep_bytes=self.keep_deliveries)
        with self.lock:
            self.connections.append(connection)
        kwargs: dict[str, Any] = dict(
            hostname=self.hostname,
            data_size_limit=self.size,
            enable_SMTPUTF8=True,
            loop=self._loop,
        )
        if self.tls_context is not None and not self.implicit_tls:
            kwargs["tls_context"] = self.tls_context
        handler = self._handler()
        if self.credentials is not None:
            kwargs["authenticator"] = self._authenticator
            kwargs["auth_require_tls"] = self.auth_require_tls
            kwargs["auth_required"] = self.auth_required
            if self.auth_mechanisms is not None:
                offered = {"PLAIN", "LOGIN"} | {
                    name[5:].replace("__", "-").upper()
                    for name in dir(handler) if name.startswith("auth_")}
                kwargs["auth_exclude_mechanism"] = sorted(offered - set(self.auth_mechanisms))
        else:
            kwargs["auth_exclude_mechanism"] = ["PLAIN", "LOGIN"]
        with warnings.catch_warnings():
            # auth_required without TLS: what a test of a refusing server wants
            warnings.filterwarnings("ignore", "Requiring AUTH while not requiring TLS")
            protocol = _RecordingSMTP(handler, connection, self.greeting, ehlo=self.ehlo,
                                      line_length_limit=self.line_length_limit, **kwargs)
        self._protocols.add(protocol)
        return protocol

    def start(self) -> "RecordingServer":
        loop = self._loop = asyncio.new_event_loop()
        ready = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            asyncio.set_event_loop(loop)
            try:
                ssl_ctx = self.tls_context if self.implicit_tls else None
                self._server = loop.run_until_complete(loop.create_server(
                    self._factory, host=self.host, port=self.port, ssl=ssl_ctx))
                self.port = self._server.sockets[0].getsockname()[1]
            except BaseException as e:  # reported by start()
                errors.append(e)
                loop.close()
                ready.set()
                return
            ready.set()
            try:
                loop.run_forever()
            finally:
                loop.close()

        self._thread = threading.Thread(target=run, name="tclsmtp-server", daemon=True)
        self._thread.start()
        ready.wait()
        if errors:
            raise errors[0]
        return self

    def stop(self) -> None:
        """Stop listening, end every connection and its handler task, and
        close the loop: nothing is left pending (asyncio would print "Task
        was destroyed but it is pending!" when the loop goes)."""
        if self._loop is None:
            return
        loop, server = self._loop, self._server

        async def shutdown() -> None:
            if server is not None:
                server.close()
            for protocol in list(self._protocols):
                if protocol.transport is not None:
                    protocol.transport.close()
            # aiosmtpd cancels a connection's handler when its transport
            # closes; the cancellation must run before the loop stops.
            tasks = [t for t in asyncio.all_tasks(loop) if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
            if server is not None:
                await server.wait_closed()
            await loop.shutdown_asyncgens()
            loop.stop()
        asyncio.run_coroutine_threadsafe(shutdown(), loop)
        if self._thread is not None:
            self._thread.join(5)
        self._loop = None

    def __enter__(self) -> "RecordingServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def wait_closed(self, timeout: float = 5.0) -> bool:
        """Wait until every connection so far has ended (True) or timeout."""
        import time
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self.lock:
                if all(c.closed for c in self.connections):
                    return True
            time.sleep(0.005)
        return False

    def hang_up(self) -> None:
        """Close every open connection from the server's side (as a server's
        idle timeout does)."""
        with self.lock:
            for connection in self.connections:
                if not connection.closed and connection.hang_up is not None:
                    connection.hang_up()

    @property
    def client_lines(self) -> list[list[str]]:
        """The client's lines, one list per connection."""
        with self.lock:
            return [c.lines for c in self.connections]
