"""``tclsmtp.sendmessage``: sending an EmailMessage from Python.

    from email.message import EmailMessage
    import tclsmtp

    msg = EmailMessage()
    msg["From"] = "me@example.com"
    msg["To"] = "a@example.com"
    msg["Bcc"] = "audit@example.com"
    msg["Subject"] = "Hello"
    msg.set_content("Hi there.")
    result = tclsmtp.sendmessage(msg, servers="mail.example.com", ports=587,
                                 username="me", password="secret")
    result.refused        # {} or {address: (code, text)}, as smtplib
    result.reply          # (250, "2.0.0 Ok: queued as ...")

``sendmessage`` follows smtplib's ``send_message``: the envelope comes from
the message's Sender/From and To/Cc/Bcc unless given, the Bcc header is never
sent, failures raise smtplib's exceptions (docs/python.md lists them). It
runs tcllib's smtp engine underneath, so every sendmessage option
(``servers``, ``ports``, ``usetls``, ``tls``, ``debug``, ...) is here too.
``sendmessage_async`` is the same for asyncio code. ``sendmessage_tcl`` is
``smtp::sendmessage`` itself, tcllib's rules and errors included. None of
them changes the message passed in.
"""
from __future__ import annotations

import asyncio
import email.utils
import functools
import getpass
import smtplib
import socket
import sys
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from ..errors import ScriptError
from ..session import Route, Session
from ..tcllist import tcl_list
from .client import AuthFailure, NoServerError, Outcome, Refusal, Transaction, converse
from .commands import prepare, restore_headers
from .keepalive import Pool
from .envelope import call, snapshot_headers

__all__ = ["sendmessage", "sendmessage_async", "sendmessage_tcl", "SendResult", "Refusal"]

# Connections kept between calls (keepalive=): one pool for the process,
# each call having a Session of its own. QUIT when idle and at exit.
_POOL = Pool()

Debug = Union[bool, Callable[[str], None]]
Headers = Union[Mapping[str, str], Iterable[tuple[str, str]]]


@dataclass
class SendResult:
    """What a send that reached the end did."""
    sender: str                                  # MAIL FROM
    recipients: list[str]                        # every RCPT TO
    # The server's texts are bytes, as smtplib gives them.
    refused: dict[str, tuple[int, bytes]] = field(default_factory=dict)   # as send_message's
    reply: tuple[int, bytes] = (0, b"")          # the server's reply to the message


class _PythonHost:
    """The conversation's host for Python callers: no event loop, no Tcl."""

    inline = True                  # the caller's thread runs the conversation

    def __init__(self, debug: Debug, tlspolicy: Optional[Callable[[int, str], str]],
                 bcc: Callable[[], Transaction], release: Callable[[], None]) -> None:
        self._debug = debug
        self._policy = tlspolicy
        self._bcc = bcc
        self._release = release

    def debug(self, line: str) -> None:
        if callable(self._debug):
            self._debug(line)
        else:
            print(line, file=sys.stderr, flush=True)

    def tls_policy(self, command: str, code: int, diagnostic: str) -> str:
        if self._policy is None:
            return "insecure"
        try:
            return str(self._policy(code, diagnostic))
        except Exception as e:        # tcllib: catch {...} policy
            return str(e)

    def bcc_transaction(self) -> Transaction:
        return self._bcc()

    def release_bcc(self) -> None:
        self._release()


def _flag(value: bool) -> str:
    return "1" if value else "0"


def _option_args(servers: Union[str, Sequence[str]], ports: Union[int, str, Sequence[Union[int, str]]],
                 client: Optional[str], originator: Optional[str],
                 recipients: Optional[Union[str, Sequence[str]]], headers: Headers,
                 atleastone: bool, queue: bool, usetls: bool, tlsimport: bool, username: str,
                 password: str, debug: Debug, maxsecs: Union[int, str],
                 tlspolicy: Optional[Callable[[int, str], str]]) -> list[str]:
    """smtp::sendmessage's arguments for the keywords."""
    args: list[str] = []
    args += ["-servers", servers if isinstance(servers, str) else tcl_list(list(servers))]
    if isinstance(ports, (int, str)):
        args += ["-ports", str(ports)]
    else:
        args += ["-ports", tcl_list([str(p) for p in ports])]
    if client is not None:
        args += ["-client", client]
    if originator is not None:
        args += ["-originator", originator]
    if recipients is not None:
        args += ["-recipients", recipients if isinstance(recipients, str) else ", ".join(recipients)]
    pairs = headers.items() if isinstance(headers, Mapping) else headers
    for name, value in pairs:
        args += ["-header", tcl_list([name, value])]
    args += ["-atleastone", _flag(atleastone), "-queue", _flag(queue),
             "-usetls", _flag(usetls), "-tlsimport", _flag(tlsimport),
             "-debug", _flag(bool(debug)), "-maxsecs", str(maxsecs),
             "-username", username, "-password", password]
    if tlspolicy is not None:
        args += ["-tlspolicy", "python"]     # any non-empty word: the host answers
    return args


class _Send:
    """One send of ``message`` through a private session (the engine's
    envelope work runs on a token; the caller's message is left as it was)."""

    def __init__(self, message: Any, strict_tls: bool, route: Optional[tuple[str, int]],
                 account: Optional[str] = None, config: Optional[str] = None) -> None:
        from ..mime import token_for_message
        self.message = message
        self.session = Session()
        self.session.strict_tls = strict_tls
        if route is not None:
            self.session.route = Route(*route)
        if config is not None:
            from ..accounts.apply import set_config
            set_config(self.session, config)
        self.account = account
        # A part of an interpreter's token keeps its name there (the private
        # session names it too, for the duration of the send).
        self.state = getattr(message, "state", None)
        self.own_token = getattr(self.state, "token", None)
        self.token = token_for_message(self.session, message)
        self.saved = snapshot_headers(self.session, self.token)

    def raw_values(self, name: str) -> list[str]:
        """The header's values as the token holds them (for -header)."""
        try:
            return [str(v) for v in call(self.session, "mime.getheader", self.token, name)]
        except ScriptError:
            return []

    def delete(self, name: str) -> None:
        if self.raw_values(name):
            call(self.session, "mime.setheader", self.token, name, "", "-mode", "delete")

    def run(self, args: list[str], tls: Optional[Mapping[str, Any]], max_wait: Optional[float],
            auth_mechanisms: Optional[Sequence[str]], token_provider: Optional[Callable[[], str]],
            debug: Debug, tlspolicy: Optional[Callable[[int, str], str]],
            require_auth: bool = False, after_prepare: Optional[Callable[[], None]] = None,
            keepalive: Optional[float] = None) -> Outcome:
        tls_options: list[str] = []
        for key, value in (tls or {}).items():
            tls_options += [f"-{key.lstrip('-')}",
                            str(int(value)) if isinstance(value, bool) else str(value)]
        auth = None
        if auth_mechanisms is not None or token_provider is not None:
            from . import sasl
            auth = sasl.AuthConfig(tuple(auth_mechanisms) if auth_mechanisms is not None else None,
                                   token_provider)
        try:
            prepared = prepare(self.session, self.token, getpass.getuser(), socket.gethostname(),
                               tls_options, args, timer_cap=max_wait, auth=auth,
                               account=self.account,
                               keepalive=None if keepalive is None else float(keepalive))
            if after_prepare is not None:
                after_prepare()
            prepared.plan.require_auth = require_auth
            host = _PythonHost(debug, tlspolicy, prepared.bcc, prepared.release_bcc)
            pool = _POOL if prepared.plan.keepalive > 0 else None
            return converse(prepared.plan, host, pool)
        finally:
            restore_headers(self.session, self.token, self.saved)
            if self.state is not None:
                self.state.token = self.own_token


def sendmessage_tcl(message: Any, *,
                    servers: Union[str, Sequence[str]] = ("localhost",),
                    ports: Union[int, str, Sequence[Union[int, str]]] = (25,),
                    client: Optional[str] = None,
                    originator: Optional[str] = None,
                    recipients: Optional[Union[str, Sequence[str]]] = None,
                    headers: Headers = (),
                    atleastone: bool = False,
                    queue: bool = False,
                    usetls: bool = True,
                    tlspolicy: Optional[Callable[[int, str], str]] = None,
                    tlsimport: bool = False,
                    username: str = "",
                    password: str = "",
                    debug: Debug = False,
                    maxsecs: Union[int, str] = 120,
                    tls: Optional[Mapping[str, Any]] = None,
                    strict_tls: bool = False,
                    auth_mechanisms: Optional[Sequence[str]] = None,
                    token_provider: Optional[Callable[[], str]] = None,
                    max_wait: Optional[float] = None,
                    route: Optional[tuple[str, int]] = None,
                    account: Optional[str] = None,
                    config: Optional[str] = None,
                    keepalive: Optional[float] = None) -> list[tuple[str, int, str]]:
    """Send ``message`` (an email.message.EmailMessage) exactly as
    smtp::sendmessage does: tcllib's rules (``-header To`` needed, Bcc as a
    separate digest, no error when recipients are refused or authentication
    fails), tcllib's errors (ScriptError; Refusal, with ``.reply``, when the
    server refuses the message), and the refused recipients as (address,
    code, diagnostic) tuples.

    The keywords are sendmessage's options (``headers`` is -header, as
    (name, value) pairs or a mapping). ``tlspolicy(code, text)`` returns
    "secure" or "insecure" when STARTTLS is refused. ``tls``: tls::init
    options without the dash, e.g. ``{"cafile": "ca.pem", "require": 1}``.
    ``strict_tls``: verified certificates and host names, no credentials in
    clear. ``auth_mechanisms``/``token_provider``: see tclsmtp.smtp.sasl
    (OAuth only when asked for). ``debug``: True prints tcllib's lines on
    stderr; a callable receives them. ``max_wait`` caps every wait (tcllib:
    600 s). ``route`` (host, port): connect there whatever ``servers`` say.
    ``account``: send through this account of the accounts file (its host,
    TLS, credentials and log; docs/accounts.md) whatever ``servers`` says;
    without it, an account whose ``match`` names one of ``servers`` is
    used. ``config``: the accounts file ($TCLSMTP_CONFIG or the usual places
    otherwise).
    ``keepalive``: seconds to keep the connection open for the next call
    with the same settings (RSET between messages, QUIT when idle that long
    or at exit); default: TCLSMTP_KEEPALIVE, else off (tcllib's one
    connection per call).
    """
    send = _Send(message, strict_tls, route, account, config)
    args = _option_args(servers, ports, client, originator, recipients, headers, atleastone,
                        queue, usetls, tlsimport, username, password, debug, maxsecs, tlspolicy)
    outcome = send.run(args, tls, max_wait, auth_mechanisms, token_provider, debug, tlspolicy,
                       keepalive=keepalive)
    refused = list(outcome.refused)
    if outcome.bcc_sent:
        refused += outcome.bcc_refused
    return refused


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _addresses(message: Any, *names: str) -> list[str]:
    values = [str(v) for name in names for v in (message.get_all(name) or [])]
    return [address for _, address in email.utils.getaddresses(values) if address]


def sendmessage(message: Any, *,
                servers: Union[str, Sequence[str]] = ("localhost",),
                ports: Union[int, str, Sequence[Union[int, str]]] = (25,),
                client: Optional[str] = None,
                originator: Optional[str] = None,
                recipients: Optional[Union[str, Sequence[str]]] = None,
                headers: Headers = (),
                atleastone: bool = True,
                queue: bool = False,
                usetls: bool = True,
                tlspolicy: Optional[Callable[[int, str], str]] = None,
                tlsimport: bool = False,
                username: str = "",
                password: str = "",
                debug: Debug = False,
                maxsecs: Union[int, str] = 120,
                tls: Optional[Mapping[str, Any]] = None,
                strict_tls: bool = False,
                auth_mechanisms: Optional[Sequence[str]] = None,
                token_provider: Optional[Callable[[], str]] = None,
                max_wait: Optional[float] = None,
                route: Optional[tuple[str, int]] = None,
                account: Optional[str] = None,
                config: Optional[str] = None,
                keepalive: Optional[float] = None) -> SendResult:
    """Send ``message`` as smtplib's ``send_message`` would, through
    tcllib's smtp engine.

    - ``originator`` (MAIL FROM) defaults to the address of the message's
      Sender, else From (else, as tcllib, the local user name).
    - ``recipients`` default to every address of To, Bcc and Cc (smtplib's order).
    - The Bcc header is never sent (the message passed in keeps it).
    - ``atleastone`` (default True here): the message goes to the accepted
      recipients when some are refused; ``result.refused`` names the others.
    - With ``username``, the message is not sent unless authentication
      succeeds.

    Returns a SendResult. Raises smtplib's exceptions: SMTPRecipientsRefused
    (nobody got the message), SMTPSenderRefused, SMTPDataError,
    SMTPAuthenticationError (every mechanism refused), SMTPNotSupportedError
    (credentials given, no AUTH offered), SMTPConnectError (a server that
    greets with a refusal), SMTPServerDisconnected (the connection broke);
    OSError subclasses when no connection could be opened
    (ConnectionRefusedError, TimeoutError, socket.gaierror: the message
    names host and port); ValueError for bad options or headers. Each has
    ``.hint`` when there is more to say, and ``__cause__`` is the tcllib
    error a Tcl script would have seen.

    The other keywords are sendmessage_tcl's (``account``, ``config``: the
    accounts file's account, docs/accounts.md; its errors are ValueErrors).
    Blocking: run it in a thread (or use sendmessage_async) from an event
    loop or a GUI.
    """
    send = _Send(message, strict_tls, route, account, config)
    if originator is None:
        found = _addresses(message, "Sender") or _addresses(message, "From")
        originator = found[0] if found else None
    if recipients is None:
        recipients = _addresses(message, "To", "Bcc", "Cc")    # smtplib's order
    elif isinstance(recipients, str):
        recipients = [a for _, a in email.utils.getaddresses([recipients]) if a]
    if not recipients:
        raise ValueError("no recipients: the message has no To, Cc or Bcc, and none were given")
    # tcllib adds From (and Sender) unless given as -header: give the
    # message's own, so they are kept as they are, not doubled.
    own: list[tuple[str, str]] = []
    for name in ("From", "Sender"):
        own += [(name, value) for value in send.raw_values(name)]
        send.delete(name)
    args = _option_args(servers, ports, client, originator, list(recipients),
                        [*own, *(headers.items() if isinstance(headers, Mapping) else headers)],
                        atleastone, queue, usetls, tlsimport, username, password, debug,
                        maxsecs, tlspolicy)
    try:
        # After prepare: tcllib adds an empty Bcc header when no -header To
        # is given; neither it nor the message's own is sent.
        outcome = send.run(args, tls, max_wait, auth_mechanisms, token_provider, debug,
                           tlspolicy, require_auth=bool(username),
                           after_prepare=lambda: send.delete("Bcc"), keepalive=keepalive)
    except ScriptError as e:
        raise _python_error(e, originator or "") from e
    refused = {address: (code, _bytes(text)) for address, code, text in outcome.refused}
    sent_to = list(recipients)
    if outcome.data_reply is None:
        # Nobody got it: smtplib's send_message raises the same.
        raise smtplib.SMTPRecipientsRefused(refused)
    reply = outcome.data_reply
    return SendResult(sender=originator or "", recipients=sent_to, refused=refused,
                      reply=(reply.code, _bytes(reply.diagnostic)))


async def sendmessage_async(message: Any, **options: Any) -> SendResult:
    """sendmessage for asyncio code: the send runs in the loop's default
    executor (a thread), so other tasks go on meanwhile. Same keywords,
    result and exceptions. ``debug`` and ``tlspolicy`` callables are called
    from that thread."""
    loop = asyncio.get_running_loop()
    return await loop.run_in_executor(None, functools.partial(sendmessage, message, **options))


# ---------------------------------------------------------------- errors

def _python_error(e: ScriptError, sender: str) -> BaseException:
    """The exception a smtplib user would catch for tcllib's error ``e``."""
    error: BaseException
    if isinstance(e, NoServerError) and e.attempts:
        error = _connect_error(e)
    elif isinstance(e, AuthFailure):
        if e.outcome is None:
            error = smtplib.SMTPNotSupportedError(e.message)
        else:
            codes = [a.code for a in getattr(e.outcome, "attempts", []) if a.code]
            error = smtplib.SMTPAuthenticationError(codes[-1] if codes else 535,
                                                    _bytes(e.message))
    elif isinstance(e, Refusal) and e.command == "MAIL":
        error = smtplib.SMTPSenderRefused(e.reply.code, _bytes(e.reply.diagnostic), sender)
    elif isinstance(e, Refusal):
        error = smtplib.SMTPDataError(e.reply.code, _bytes(e.reply.diagnostic))
    elif any(word in e.message for word in ("end-of-file", "error reading", "error writing",
                                            "timed out", "not connected")):
        error = smtplib.SMTPServerDisconnected(e.message)
    else:
        error = ValueError(e.message)
    if e.hint:
        setattr(error, "hint", e.hint)
    return error


def _connect_error(e: NoServerError) -> BaseException:
    """No server could be used: the OSError of the last connection that
    could not be opened (the type smtplib raises: ConnectionRefusedError,
    TimeoutError, socket.gaierror), or SMTPConnectError for a server that
    answered with a refusal. The message names every host and port."""
    where = "; ".join(f"{a.where()}: {a.reason()}" for a in e.attempts)
    if e.route is not None:
        where += f" (route {e.route[0]}:{e.route[1]})"
    last = e.attempts[-1]
    if last.error is not None:
        err = last.error
        if isinstance(err, socket.timeout):
            return TimeoutError(f"could not connect: {where}")
        if err.errno is not None:
            return type(err)(err.errno, f"could not connect: {where}")
        return type(err)(f"could not connect: {where}")
    code = last.reply.code if last.reply is not None else 0
    return smtplib.SMTPConnectError(code, _bytes(f"could not send: {where}"))
