"""The SMTP conversation of tcllib's smtp::sendmessage, in Python.

``converse(plan, host)`` connects (trying each server in turn), greets,
upgrades to TLS, authenticates, sends the message (and the Bcc copy), and
says goodbye, exactly in tcllib's order and with its timeouts. It knows
nothing of Tcl: ``host`` prints the -debug lines, answers -tlspolicy and
builds the Bcc digest (the Tcl bridge does that on the interpreter's
thread; the Python API directly).

Failures a script sees are raised as ScriptError: code 7 with tcllib's
reply dict for a server's refusal, code 1 with tcllib's texts otherwise.
"""
from __future__ import annotations

import itertools
import socket

from ..errors import ScriptError
from ..tcllist import split_list
from .options import SendFlags
from .tlsconfig import TlsSettings
from .wire import TIMER_CAP, MessageData, PlaintextBeforeTls, Reply, TimerError, Wire, tcl_binary

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:                     # sasl pulls in scramp (and pyspnego): load it
    from .sasl import AuthConfig      # only when a send authenticates
    from .keepalive import Pool
    from typing import Callable, Iterable, Optional, Protocol

# tcllib's per-command timeouts, in seconds (as it prints them)
GREETING, EHLO, MAIL, RCPT, DATA, QUIT, RSET = "600", "300", "600", "3600", "300", "120", "300"

# How long a send on the caller's thread polls for a reply before it blocks:
# longer than a local server takes to answer a message (~0.1 ms), short
# enough that a distant one costs little CPU.
REPLY_SPIN = 0.0003


# Plain classes, not dataclasses: importing dataclasses costs a tenth of a
# short script's start-up.
class Transaction:
    """One MAIL transaction: envelope and message."""
    __slots__ = ("originator", "recipients", "chunks", "built", "crlf", "length")
    originator: str
    recipients: list[str]
    chunks: Callable[[], Iterable[bytes]]   # the message as CRLF bytes, streamed
    # The message as built for SIZE=, kept when small for DATA to send
    # (building it twice was a good part of a small message's cost).
    built: Optional[list[bytes]]
    crlf: bool                # the chunks' line ends are CR LF already (mime's iter_bytes)
    # The message's length without building it (large -file bodies), if known.
    length: Optional[Callable[[], Optional[int]]]

    def __init__(self, originator: str, recipients: list[str],
                 chunks: Callable[[], Iterable[bytes]], built: Optional[list[bytes]] = None,
                 crlf: bool = False,
                 length: Optional[Callable[[], Optional[int]]] = None) -> None:
        self.originator = originator
        self.recipients = recipients
        self.chunks = chunks
        self.built = built
        self.crlf = crlf
        self.length = length


if TYPE_CHECKING:
    class Host(Protocol):
        """What the conversation asks of whoever runs it."""

        def debug(self, line: str) -> None: ...

        def tls_policy(self, command: str, code: int, diagnostic: str) -> str: ...

        def bcc_transaction(self) -> Transaction: ...

        def release_bcc(self) -> None: ...

        # Optional, looked up with getattr: ``inline`` (True when the
        # conversation runs on the caller's thread: replies are polled for,
        # see _spin), ``settled(outcome, error)`` (the result, as soon as it
        # is final) and ``after_result(fn)`` (runs fn, the QUIT reply and
        # the close, without holding up whoever waits for the result).


class Plan(SendFlags):
    """Everything a send needs after the options and headers are settled:
    the script's switches (SendFlags, which an account may change: the user
    name, the password), and what was worked out from them."""
    __slots__ = ("servers", "ports", "client", "transaction", "bcc_recipients", "tls",
                 "strict_tls", "route", "auth", "timer_cap", "require_auth", "require_tls",
                 "keepalive", "observer")
    servers: str                                   # Tcl lists, as -servers and -ports gave them
    ports: str
    client: str
    transaction: Transaction
    bcc_recipients: Optional[list[str]]            # None: no Bcc header
    tls: TlsSettings
    strict_tls: bool
    route: Optional[tuple[str, int]]               # capture mode: connect here instead
    auth: Optional["AuthConfig"]
    timer_cap: float                                # tcllib: 600 s
    # The Python API's rule, not tcllib's: with a -username, a server that
    # offers no AUTH or refuses every mechanism ends the send (AuthFailure)
    # instead of the message going out unauthenticated.
    require_auth: bool
    require_tls: bool              # an account's tls = "starttls": no STARTTLS, no send
    keepalive: float                                # > 0: keep the connection (keepalive.py)
    observer: Optional["Observer"]                 # an account's delivery log

    def __init__(self, flags: SendFlags, servers: str, ports: str, client: str,
                 transaction: Transaction, bcc_recipients: Optional[list[str]] = None,
                 tls: Optional[TlsSettings] = None, strict_tls: bool = False,
                 route: Optional[tuple[str, int]] = None, auth: Optional["AuthConfig"] = None,
                 timer_cap: float = TIMER_CAP, require_auth: bool = False,
                 require_tls: bool = False, keepalive: float = 0.0,
                 observer: Optional["Observer"] = None) -> None:
        super().__init__(flags)
        self.servers = servers
        self.ports = ports
        self.client = client
        self.transaction = transaction
        self.bcc_recipients = bcc_recipients
        self.tls = TlsSettings() if tls is None else tls
        self.strict_tls = strict_tls
        self.route = route
        self.auth = auth
        self.timer_cap = timer_cap
        self.require_auth = require_auth
        self.require_tls = require_tls
        self.keepalive = keepalive
        self.observer = observer


class Delivery:
    """What happened to one message, for an account's delivery log."""
    __slots__ = ("transaction", "tls_version", "replies", "final", "size")
    transaction: Transaction
    tls_version: Optional[str]
    replies: list[tuple[str, int]]       # (recipient, code)
    final: Optional[Reply]               # DATA's end, or the refusal
    size: int

    def __init__(self, transaction: Transaction, tls_version: Optional[str] = None,
                 replies: Optional[list[tuple[str, int]]] = None, final: Optional[Reply] = None,
                 size: int = 0) -> None:
        self.transaction = transaction
        self.tls_version = tls_version
        self.replies = [] if replies is None else replies
        self.final = final
        self.size = size


if TYPE_CHECKING:
    class Observer(Protocol):
        def record(self, talk: "Conversation", error: Optional[BaseException]) -> None: ...


class Outcome:
    """A send that reached the end: refused recipients per transaction."""
    __slots__ = ("refused", "bcc_refused", "bcc_sent", "data_reply")
    refused: list[tuple[str, int, str]]
    bcc_refused: list[tuple[str, int, str]]
    bcc_sent: bool
    data_reply: Optional[Reply]             # the reply to the final dot; None: not sent

    def __init__(self, refused: list[tuple[str, int, str]],
                 bcc_refused: Optional[list[tuple[str, int, str]]] = None, bcc_sent: bool = False,
                 data_reply: Optional[Reply] = None) -> None:
        self.refused = refused
        self.bcc_refused = [] if bcc_refused is None else bcc_refused
        self.bcc_sent = bcc_sent
        self.data_reply = data_reply


class Refusal(ScriptError):
    """The server refused the message: tcllib's return code 7, whose result
    is the reply dict (``diagnostic {...} args {} code 553``)."""

    def __init__(self, reply: Reply, command: str = "") -> None:
        super().__init__(reply.tcl(), (), 7)
        self.reply = reply
        self.command = command          # what was refused: "MAIL", "DATA" or "" (the text)


class AuthFailure(ScriptError):
    """With ``Plan.require_auth``: no AUTH offered (``outcome`` None) or every
    mechanism refused (``outcome.attempts`` says how)."""

    def __init__(self, message: str, outcome: Optional[object]) -> None:
        super().__init__(message, ("TCLSMTP", "AUTH", "FAILED"))
        self.outcome = outcome


# ---------------------------------------------------------------- initialize

class Attempt:
    """One server initialize tried, and how it ended (for the hint line and
    the Python API's exceptions; the script sees tcllib's error only)."""
    __slots__ = ("server", "port", "address", "error", "reply")
    server: str                               # as -servers named it
    port: str                                 # as -ports named it
    address: Optional[tuple[str, int]]        # where we connected (the route, if any)
    error: Optional[OSError]                  # the connection could not be opened
    reply: Optional[Reply]                    # else the reply that ended it

    def __init__(self, server: str, port: str, address: Optional[tuple[str, int]] = None,
                 error: Optional[OSError] = None, reply: Optional[Reply] = None) -> None:
        self.server = server
        self.port = port
        self.address = address
        self.error = error
        self.reply = reply

    def where(self) -> str:
        host, port = self.address if self.address is not None else (self.server, self.port)
        return f"{host} port {port}"

    def reason(self) -> str:
        if isinstance(self.error, socket.timeout):
            return "connection timed out"
        if isinstance(self.error, socket.gaierror):
            return f"host name not found ({self.error.strerror})"
        if self.error is not None:
            return self.error.strerror.lower() if self.error.strerror else str(self.error)
        if self.reply is not None:
            return f"{self.reply.code} {self.reply.diagnostic}".strip()
        return "failed"


class NoServerError(ScriptError):
    """No server of -servers could be used: tcllib's error text and code, plus
    what happened at each server (``attempts``) and the route in force."""

    def __init__(self, error: ScriptError, attempts: list[Attempt],
                 route: Optional[tuple[str, int]]) -> None:
        super().__init__(error.message, error.errorcode, error.code)
        self.attempts = attempts
        self.route = route
        self.hint = self._hint()

    def _hint(self) -> Optional[str]:
        if not self.attempts:
            return None
        if len(self.attempts) == 1:
            a = self.attempts[0]
            verb = "connect to" if a.error is not None else "send through"
            text = f"tclsmtp: could not {verb} {a.where()}: {a.reason()}"
        else:
            text = "tclsmtp: no server could be used: " + "; ".join(
                f"{a.where()}: {a.reason()}" for a in self.attempts)
        if self.route is not None:
            named = ", ".join(f"{a.server} port {a.port}" for a in self.attempts)
            text += f" (--route {self.route[0]}:{self.route[1]} in force; the script named {named})"
        return text


class _Attempts:
    """tcllib's initialize keeps the last attempt's code, result and errorCode
    and raises them when no server worked out."""

    def __init__(self) -> None:
        self.code: Optional[str] = None     # "0", "1" or "error"
        self.result: object = None          # a Reply, or a message
        self.ecode: tuple[str, ...] = ("NONE",)
        self.tried: list[Attempt] = []

    def error(self, route: Optional[tuple[str, int]] = None) -> ScriptError:
        return NoServerError(self._tcllib_error(), self.tried, route)

    def _tcllib_error(self) -> ScriptError:
        if self.code is None:               # no server at all: tcllib's own slip
            return ScriptError('can\'t read "code": no such variable', ("TCL", "READ", "VARNAME"))
        if self.code == "0":
            # sendmessage: array set respArr $token; return -code error $respArr(diagnostic)
            assert isinstance(self.result, Reply)
            return ScriptError(self.result.diagnostic or "unknown error", self.ecode)
        if self.code == "error":
            assert isinstance(self.result, Reply)
            return ScriptError(self.result.tcl(), self.ecode)
        return ScriptError(str(self.result), self.ecode)


def _port_number(port: str) -> int:
    """Tcl's reading of a port: an integer or a service name."""
    from .options import tcl_number
    value = tcl_number(port)
    if isinstance(value, int):
        if abs(value) > 0xFFFFFFFF:         # Tcl_GetInt's range
            raise ScriptError("integer value too large to represent",
                              ("ARITH", "IOVERFLOW", "integer value too large to represent"))
        if value > 0xFFFF:
            raise ScriptError("couldn't open socket: port number too high")
        if value < 0:
            raise ScriptError(f'expected integer but got "{port}"', ("TCL", "VALUE", "INTEGER"))
        return value
    try:
        return socket.getservbyname(port, "tcp")
    except OSError:
        raise ScriptError(f'expected integer but got "{port}"', ("TCL", "VALUE", "INTEGER")) from None


class Conversation:
    offers_size: bool             # the server takes SIZE= (RFC 1870)
    pipelining: bool              # the server offers PIPELINING (RFC 2920)

    def __init__(self, plan: Plan, host: Host) -> None:
        self.plan = plan
        self.host = host
        self.wire: Optional[Wire] = None
        self.esmtp = []                  # sets offers_size and pipelining too
        self.server = ""
        self.port = 25
        self.refusal: Optional[Reply] = None     # why _ehlo gave up on a server
        self.data_reply: Optional[Reply] = None  # the last reply to a final dot
        self.auth_mechanism: Optional[str] = None
        self.password_refused: Optional[str] = None   # the server's refusal, for the hint
        self.deliveries: list[Delivery] = []
        self.delivered = False        # a final dot was answered 250 on this connection
        self.kept = False             # handed to a keepalive pool
        self.reset_first = False      # a kept connection: RSET before the next MAIL

    def adopt(self, plan: Plan, host: Host) -> None:
        """A kept connection serves a new send."""
        self.plan, self.host = plan, host
        self.delivered = self.kept = False
        self.deliveries = []
        self.data_reply = None
        if self.wire is not None:
            self.wire.debug = self._debug if plan.debug else None
            self.wire.spin = _spin(host)

    def idle(self) -> None:
        """Kept for a later send: let go of this one's plan and host (the
        message, the session's tokens), which the next adopt() replaces."""
        self.plan = self.host = None      # type: ignore[assignment]
        self.deliveries = []              # (they hold the message too)
        if self.wire is not None:
            self.wire.debug = None

    def drop(self) -> None:
        """Close without a goodbye (the server has gone or is going)."""
        if self.wire is not None:
            self.wire.close()
            self.wire = None

    def _debug(self, line: str) -> None:
        if self.plan.debug:
            self.host.debug(line)

    # tcllib's smtp::initialize
    def initialize(self) -> None:
        plan = self.plan
        attempts = _Attempts()
        servers, ports = split_list(plan.servers), split_list(plan.ports)
        for server, port in itertools.zip_longest(servers, ports, fillvalue=""):
            if server == "":
                continue
            if port == "":
                port = "25"
            self._debug(f"Trying {server}...")
            wire = Wire(self._debug if plan.debug else None, plan.timer_cap)
            wire.spin = _spin(self.host)
            wire.peer = server
            attempt = Attempt(server, port)
            attempts.tried.append(attempt)
            self.refusal = None
            try:
                if plan.route is not None:
                    host, number = plan.route
                else:
                    host, number = server, _port_number(port)
                attempt.address = (host, number)
                wire.connect(host, number, float(GREETING))
                if plan.tlsimport and wire.sock is not None and (
                        plan.route is None or not _speaks_first(wire.sock)):
                    self._import_tls(wire, server)
            except ScriptError as e:
                attempts.code, attempts.result, attempts.ecode = "1", e.message, e.errorcode
                attempt.reply = Reply(0, e.message)
                wire.close()
                continue
            except socket.gaierror as e:
                attempts.code, attempts.result = "1", f"couldn't open socket: {e.strerror}"
                attempts.ecode = ("NONE",)
                attempt.error = e
                wire.close()
                continue
            except UnicodeError:
                # a name the IDNA codec refuses (a label over 63 characters,
                # an empty label): the resolver could not have found it
                # either, and tcllib goes on to the next server with its text.
                attempts.code, attempts.result = "1", "couldn't open socket: Name or service not known"
                attempts.ecode = ("NONE",)
                attempt.reply = Reply(0, "host name not valid (IDNA)")
                wire.close()
                continue
            except OSError as e:
                attempts.code, attempts.result = "1", f"couldn't open socket: {e.strerror or e}"
                attempts.ecode = ("NONE",)
                attempt.error = e
                wire.close()
                continue
            attempts.code, attempts.ecode = "0", ("NONE",)
            greeting = wire.hear(GREETING)
            attempts.result = greeting
            attempt.error, attempt.reply = wire.connect_error, greeting
            if greeting.code != 220:
                wire.close()
                continue
            self.wire, self.server, self.port = wire, server, number
            try:
                if self._ehlo(attempts, tls_tried=False):
                    return
            except BaseException:          # e.g. a tls::init -cafile that cannot be read
                wire.close()
                self.wire = None
                raise
            attempt.reply = self.refusal
            if wire.oversized:
                # tcllib would report the greeting; the reply that broke a
                # limit says what went wrong
                attempts.code, attempts.result = "0", Reply(400, wire.failed or "")
                attempts.ecode = ("TCLSMTP", "SMTP", "TOOLONG")
                attempt.reply = attempts.result
            wire.close()
            self.wire = None
        raise attempts.error(plan.route)

    def _import_tls(self, wire: Wire, server: str) -> None:
        """-tlsimport: TLS from the first byte. A failed handshake shows as a
        failed read of the greeting, as with tcl-tls."""
        try:
            wire.start_tls(self.plan.tls.context(self.plan.strict_tls),
                           self.plan.tls.server_hostname(server), float(GREETING))
        except (ValueError, OSError, PlaintextBeforeTls) as e:   # ssl's errors are OSErrors
            wire.close()
            wire.failed = f"TLS handshake with {server} failed: {_ssl_reason(e)}"
            self._debug(f"    ... {wire.failed} ...")

    # tcllib's smtp::initialize_ehlo
    def _ehlo(self, attempts: _Attempts, tls_tried: bool) -> bool:
        plan, wire = self.plan, self.wire
        assert wire is not None
        reply = wire.talk(EHLO, f"EHLO {plan.client}")
        if 500 <= reply.code <= 599:
            reply = wire.talk(EHLO, f"HELO {plan.client}")
        if reply.code != 250:
            self.refusal = reply
            return False
        self.esmtp = reply.args
        if plan.bcc_recipients is None and "ONEX" in reply.args:
            wire.talk(EHLO, "ONEX")
        if plan.queue and "XQUE" in reply.args:
            wire.talk(EHLO, "QUED")
        if plan.usetls and not tls_tried and ("STARTTLS" in reply.args or "TLS" in reply.args):
            answer = wire.talk(EHLO, "STARTTLS")
            if answer.code == 220:
                try:
                    wire.start_tls(plan.tls.context(plan.strict_tls),
                                   plan.tls.server_hostname(self.server), float(EHLO))
                except (ValueError, OSError, PlaintextBeforeTls) as e:   # ssl's: OSErrors
                    # tcllib swallows the handshake error and fails on the next
                    # EHLO, reporting the greeting; we say what went wrong.
                    text = f"TLS handshake with {self.server} failed: {_ssl_reason(e)}"
                    self._debug(f"    ... {text} ...")
                    attempts.result = self.refusal = Reply(400, text)
                    attempts.ecode = ("TCLSMTP", "TLS", "HANDSHAKE")
                    return False
                return self._ehlo(attempts, tls_tried=True)
            policy = "secure" if plan.require_tls else "insecure"
            if plan.tlspolicy and not plan.require_tls:
                policy = self.host.tls_policy(plan.tlspolicy, answer.code, answer.diagnostic)
            if policy != "insecure":
                self.refusal = answer
                attempts.code = "error"
                attempts.ecode = (str(answer.code),)
                return False
        if plan.require_tls and not wire.tls:
            text = f"{self.server} does not offer STARTTLS, and the account requires it"
            self._debug(f"    ... {text} ...")
            attempts.code, attempts.result = "0", Reply(530, text)
            attempts.ecode = ("TCLSMTP", "TLS", "REQUIRED")
            return False
        if plan.username and any(arg.startswith("AUTH") for arg in reply.args):
            if plan.strict_tls and not wire.tls:
                text = (f"strict TLS: not sending the credentials of {plan.username} "
                        f"in clear to {self.server}")
                self._debug(f"    ... {text} ...")
                self.refusal = Reply(530, text)
                attempts.code, attempts.result = "0", self.refusal
                attempts.ecode = ("TCLSMTP", "TLS", "CLEARTEXT")
                return False
            self._authenticate(reply.args)
        elif plan.username and plan.require_auth:
            raise AuthFailure(f"{self.server} offers no AUTH: not sending without "
                              f"authenticating as {plan.username}", None)
        return True

    def _authenticate(self, ehlo_args: list[str]) -> None:
        from . import sasl
        wire = self.wire
        assert wire is not None

        def exchange(line: str, *, secret: bool = False) -> Reply:
            answer = wire.talk(EHLO, line, shown="[secret hidden]" if secret else None)
            return answer          # a Reply: code, text and tcllib's tcl() form

        outcome = sasl.authenticate(exchange, sasl.offered_mechanisms(ehlo_args),
                                    self.plan.username, self.plan.password, host=self.server,
                                    port=self.port, config=self.plan.auth, log=self._debug)
        self.auth_mechanism = outcome.mechanism
        if not outcome.authenticated:
            self.password_refused = sasl.password_refusal(outcome)
        if self.plan.require_auth and not outcome.authenticated:
            tried = "; ".join(f"{a.mechanism}: {a.code or ''} {a.text}".replace("  ", " ")
                              for a in outcome.attempts) or "no mechanism both sides know"
            raise AuthFailure(f"authentication as {self.plan.username} failed at "
                              f"{self.server} port {self.port} ({tried})", outcome)

    # tcllib's sendmessageaux, winit, waddr, wtext
    def transaction(self, txn: Transaction) -> list[tuple[str, int, str]]:
        wire = self.wire
        assert wire is not None
        record = Delivery(txn, wire.sock.version() if wire.tls else None)  # type: ignore[union-attr]
        self.deliveries.append(record)
        command = f"MAIL FROM:<{txn.originator}>"
        if self.offers_size:
            size = _size(txn)
            if size is not None:
                command += f" SIZE={size}"
        if self.pipelining:
            return self._pipelined(txn, command, record)
        if self.reset_first:
            self.reset_first = False
            if wire.talk(RSET, "RSET").code != 250:
                raise _Reconnect()
        reply = wire.talk(MAIL, command)
        if reply.code != 250:
            record.final = reply
            raise Refusal(reply, "MAIL")
        good, refused = 0, []
        for recipient in txn.recipients:
            reply = wire.talk(RCPT, f"RCPT TO:<{recipient}>")
            record.replies.append((recipient, reply.code))
            if reply.code in (250, 251):
                good += 1
            else:
                refused.append((recipient, reply.code, reply.diagnostic))
        if good and (not refused or self.plan.atleastone):
            self._text(txn, record)
        else:
            wire.talk(RSET, "RSET")
        return refused

    @property
    def esmtp(self) -> list[str]:
        """The EHLO reply's extension lines."""
        return self._esmtp

    @esmtp.setter
    def esmtp(self, args: list[str]) -> None:
        # asked once per message: worked out once per EHLO
        self._esmtp = args
        self.offers_size = any(arg.startswith("SIZE") for arg in args)
        self.pipelining = any(arg.split(" ", 1)[0].upper() == "PIPELINING" for arg in args)

    def _pipelined(self, txn: Transaction, mail: str,
                   record: Delivery) -> list[tuple[str, int, str]]:
        """tcllib's winit/waddr/wtext with MAIL, the RCPTs and (when it cannot
        change the outcome) DATA in one write, the replies read in order.

        The script sees tcllib's -debug lines: each command's line is shown
        just before its reply is read. DATA joins the group when tcllib would
        send it whatever the RCPT replies say, short of all being refused:
        with -atleastone, or with one recipient. An RFC 2920 server refuses
        DATA when no RCPT was accepted; that refusal, which tcllib would not
        have seen, is read without a -debug line and the RSET follows as in
        tcllib. Several recipients without -atleastone: one refused
        recipient means no DATA, so DATA waits for the RCPT replies.
        """
        wire = self.wire
        assert wire is not None
        recipients = txn.recipients
        with_data = bool(recipients) and (self.plan.atleastone or len(recipients) == 1)
        group = [mail, *(f"RCPT TO:<{r}>" for r in recipients), *(["DATA"] if with_data else [])]
        reset, self.reset_first = self.reset_first, False
        if reset:
            group.insert(0, "RSET")
            wire.announce(RSET, "RSET")
        else:
            wire.announce(MAIL, mail)
        error = wire.write(b"".join(tcl_binary(line) + b"\r\n" for line in group))
        if error is not None:
            if reset:
                raise _Reconnect()
            record.final = Reply(400, error, form="talk")
            raise Refusal(record.final, "MAIL")
        data = self._message(txn) if with_data else None
        try:
            if data is not None:
                data.make_first()         # while the server answers
            return self._pipelined_replies(txn, mail, record, group, reset, data)
        finally:
            if data is not None:
                data.close()

    def _pipelined_replies(self, txn: Transaction, mail: str, record: Delivery,
                           group: list[str], reset: bool,
                           data: Optional[MessageData]) -> list[tuple[str, int, str]]:
        """_pipelined's replies, read in order once the group is written
        (``data``: the message, when the group ends in DATA)."""
        wire = self.wire
        assert wire is not None
        recipients = txn.recipients
        if reset:
            group.pop(0)
            if wire.hear(RSET).code != 250:
                raise _Reconnect()        # the rest is lost with the connection
            wire.announce(MAIL, mail)
        reply = wire.hear(MAIL)
        if reply.code != 250:
            # The server answers the rest (503s, unseen by tcllib). Read
            # them before tcllib's abort: closing a socket with replies
            # unread resets the connection, and the server may lose the
            # RSET and QUIT that precede the reset.
            for _ in group[1:]:
                wire.hear(RCPT, quiet=True)
            record.final = reply
            raise Refusal(reply, "MAIL")
        good, refused = 0, []
        for recipient in recipients:
            wire.announce(RCPT, f"RCPT TO:<{recipient}>")
            reply = wire.hear(RCPT)
            record.replies.append((recipient, reply.code))
            if reply.code in (250, 251):
                good += 1
            else:
                refused.append((recipient, reply.code, reply.diagnostic))
        wanted = good and (not refused or self.plan.atleastone)
        if data is None:
            if wanted:
                self._text(txn, record)
            else:
                wire.talk(RSET, "RSET")
            return refused
        if wanted:
            wire.announce(DATA, "DATA")
            reply = wire.hear(DATA)
            if reply.code != 354:
                record.final = reply
                raise Refusal(reply, "DATA")
            self._body(record, data)
            return refused
        reply = wire.hear(DATA, quiet=True)
        if reply.code == 354:
            # A server that takes DATA with no recipient: ending the data
            # would deliver to nobody at best; drop the connection instead.
            wire.close()
        wire.talk(RSET, "RSET")
        return refused

    def _text(self, txn: Transaction, record: Delivery) -> None:
        wire = self.wire
        assert wire is not None
        data = self._message(txn)
        try:
            reply = wire.talk(DATA, "DATA", meanwhile=data.make_first)
            if reply.code != 354:
                record.final = reply
                raise Refusal(reply, "DATA")
            self._body(record, data)
        finally:
            data.close()

    @staticmethod
    def _message(txn: Transaction) -> MessageData:
        """The message's data for DATA: as built for SIZE=, or built as it goes."""
        built, txn.built = txn.built, None
        return MessageData(_guarded(txn.chunks) if built is None else built, txn.crlf)

    def _body(self, record: Delivery, data: MessageData) -> None:
        """The message after a 354, the final dot and its reply."""
        wire = self.wire
        assert wire is not None
        try:
            try:
                reply = wire.send_message(data, self.plan.maxsecs)
            finally:
                record.size += data.made
        except _BuildError as e:
            # tcllib builds the whole message before writing; we stream, so
            # a message that cannot be built is abandoned without the final
            # "." (the server then discards the partial data).
            wire.close()
            raise Refusal(Reply(400, e.message, form="talk")) from None
        except TimerError as e:
            raise e.error from None
        record.final = reply
        if reply.code not in (250, 251):
            raise Refusal(reply, "DATA")
        self.data_reply = reply
        self.delivered = True

    # tcllib's smtp::finalize
    def finalize(self, orderly: bool, settled: Optional[Callable[[], None]] = None) -> None:
        """QUIT (orderly) or RSET+QUIT without waiting (abort), then close.

        ``settled`` is called once nothing that follows can change the
        result: after QUIT is written when -debug is off (the reply is then
        read while the script goes on; tcllib ignores it anyway), else at
        the end.
        """
        wire = self.wire
        if wire is None:
            if settled is not None:
                settled()
            return
        if orderly and not self.plan.debug and settled is not None:
            if wire.write(b"QUIT\r\n") is None:
                settled()
                self.wire = None

                def goodbye() -> None:
                    try:
                        wire.hear(QUIT)
                    except OSError:        # the result is out: nothing to tell
                        pass
                    finally:
                        wire.close()
                # (on the script's own thread, the reply is read by a worker)
                getattr(self.host, "after_result", _now)(goodbye)
                return
        elif orderly:
            wire.talk(QUIT, "QUIT")
        else:
            wire.talk("0", "RSET")
            wire.talk("0", "QUIT")
        wire.close()
        self.wire = None
        if settled is not None:
            settled()


def _spin(host: Host) -> float:
    """A send on the caller's own thread polls for replies before it blocks
    (see Wire._await_reply); a worker thread gains nothing by it."""
    return REPLY_SPIN if getattr(host, "inline", False) else 0.0


def _now(fn: Callable[[], None]) -> None:
    fn()


def _speaks_first(sock: socket.socket, wait: float = 0.5) -> bool:
    """Whether the server greets in clear on its own. A routed send (capture
    mode, the compat harness) may reach a plain server or one speaking TLS
    from the first byte; only the plain one says something first."""
    import select
    readable, _, _ = select.select([sock], [], [], wait)
    return bool(readable)


class _BuildError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _guarded(chunks: Callable[[], Iterable[bytes]]) -> Iterable[bytes]:
    """The message's chunks; a failure to build it becomes _BuildError."""
    try:
        yield from chunks()
    except ScriptError as e:
        raise _BuildError(e.message) from None
    except OSError as e:
        raise _BuildError(str(e)) from None


_KEEP_BUILT = 1 << 20       # bytes of a message built for SIZE= kept for DATA


def _size(txn: Transaction) -> Optional[int]:
    """SIZE=n: the built message's length (tcllib ignores a failure here).
    A message of up to _KEEP_BUILT bytes is kept in ``txn.built``."""
    size = 0
    kept: Optional[list[bytes]] = []
    try:
        measured = txn.length() if txn.length is not None else None
        if measured is not None and measured > _KEEP_BUILT:
            return measured               # not built: DATA builds it
        for chunk in txn.chunks():
            size += len(chunk)
            if kept is not None:
                kept.append(chunk)
                if size > _KEEP_BUILT:
                    kept = None
    except (ScriptError, OSError):
        return None
    txn.built = kept
    return size


def _ssl_reason(error: BaseException) -> str:
    import ssl
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate verify failed: {error.verify_message or error.reason}"
    if isinstance(error, ssl.SSLError):
        return error.reason or str(error)
    return str(error)


# ---------------------------------------------------------------- sendmessage

def converse(plan: Plan, host: Host, pool: Optional["Pool"] = None) -> Outcome:
    """tcllib's sendmessage from ``initialize`` on. Raises ScriptError.
    With ``pool`` and ``plan.keepalive``, the connection may come from the
    pool and goes back to it instead of saying QUIT."""
    if pool is not None and plan.keepalive > 0:
        return _converse_kept(plan, host, pool)
    talk = Conversation(plan, host)
    try:
        talk.initialize()
        return _transactions(talk, plan, host)
    except BaseException as e:
        _annotate(talk, e)
        _observe(talk, e)
        raise
    finally:
        if talk.wire is not None:          # only after a bug of ours
            talk.wire.close()


def _annotate(talk: Conversation, error: Optional[BaseException]) -> None:
    """A send that fails after the server refused the password gets a hint
    line (tclsmtp run prints it when the script does not catch the error):
    the provider may take OAuth only (Exchange Online's 5.7.30)."""
    if isinstance(error, ScriptError) and talk.password_refused and not error.hint:
        error.hint = (f"tclsmtp: {talk.server} refused the password "
                      f"({talk.password_refused}); if it takes OAuth only, give the script "
                      f"an account with OAuth: see docs/accounts.md")


def _observe(talk: Conversation, error: Optional[BaseException]) -> None:
    """Tell the plan's observer (an account's delivery log) once, before the
    script can see the result."""
    observer, talk.plan.observer = talk.plan.observer, None
    if observer is not None:
        observer.record(talk, error)


def _converse_kept(plan: Plan, host: Host, pool: "Pool") -> Outcome:
    """A send on a kept connection when there is one for these settings.

    A kept connection must answer RSET with 250 (sent with MAIL when the
    server pipelines), else (the server closed it, said 421, timed out) a
    new one is opened, transparently. A 421 in
    the first transaction on a kept connection (a server's limit of
    messages per connection), before any message was accepted, is
    answered the same way: a new connection, the transaction again. A
    message is only sent again when the server has not accepted it.
    """
    from .keepalive import session_key
    key = session_key(plan)
    talk = pool.take(key)
    reused = talk is not None
    if talk is not None:
        talk.adopt(plan, host)
        talk.reset_first = True
    else:
        talk = Conversation(plan, host)

    given: list[Conversation] = []

    def keep(done: Conversation) -> None:
        given.append(done)
        pool.give(key, done, plan.keepalive)

    try:
        try:
            if not reused:
                talk.initialize()
            return _transactions(talk, plan, host, keep=keep, retry=reused)
        except _Reconnect:
            talk.drop()
            talk = Conversation(plan, host)
            talk.initialize()
            return _transactions(talk, plan, host, keep=keep)
    except BaseException as e:
        _annotate(talk, e)
        _observe(talk, e)
        raise
    finally:
        # (once given back, the connection is the pool's: the next send may
        # already have adopted it, which clears its kept flag)
        if not given and talk.wire is not None and talk.wire.sock is not None \
                and talk.kept is False:
            talk.wire.close()              # only after a bug of ours


class _Reconnect(Exception):
    """A kept connection turned out to be closing (421): start again."""


def _transactions(talk: Conversation, plan: Plan, host: Host,
                  keep: Optional[Callable[[Conversation], None]] = None,
                  retry: bool = False) -> Outcome:
    first_error: Optional[BaseException] = None
    outcome = Outcome(refused=[])
    try:
        outcome.refused = talk.transaction(plan.transaction)
        outcome.data_reply, talk.data_reply = talk.data_reply, None
    except ScriptError as e:
        first_error = e
    if retry and not talk.delivered and (
            (isinstance(first_error, Refusal) and first_error.reply.code == 421)
            or any(code == 421 for _, code, _ in outcome.refused)):
        raise _Reconnect()
    ok = first_error is None
    if ok and plan.bcc_recipients is not None:
        try:
            bcc = host.bcc_transaction()
            try:
                outcome.bcc_refused = talk.transaction(bcc)
                outcome.bcc_sent = True
            except ScriptError:
                ok = False          # tcllib: only the status changes
            finally:
                host.release_bcc()
        except ScriptError:
            ok = False
    _annotate(talk, first_error)
    _observe(talk, first_error)
    # A host that can take the result early (the Tcl bridge) gets it as soon
    # as it is final, so the script does not wait for the QUIT reply.
    early = getattr(host, "settled", None)
    settled = None if early is None else (lambda: early(outcome, first_error))
    if ok and keep is not None and talk.wire is not None and talk.wire.failed is None:
        # Kept first: after the result the script's thread wants the GIL
        # back at once, and this thread's bookkeeping would hold it up.
        talk.kept = True
        keep(talk)
        if settled is not None:
            settled()
        return outcome
    try:
        talk.finalize(orderly=ok, settled=settled)
    except OSError:
        if settled is not None:
            settled()
    if first_error is not None:
        raise first_error
    return outcome
