"""``tclsmtp.sendmessage``: tcllib's smtp::sendmessage for Python code.

    from email.message import EmailMessage
    import tclsmtp

    msg = EmailMessage()
    msg["Subject"] = "Hello"
    msg.set_content("Hi there.")
    refused = tclsmtp.sendmessage(msg, servers=["mail.example.com"],
                                  headers=[("To", "a@example.com")],
                                  originator="me@example.com")

Same engine, options, envelope and headers as the Tcl command; the message
itself is left as it was. Returns the refused recipients as (address, code,
diagnostic) tuples; raises ``Refusal`` (a ScriptError with ``.reply``) when
the server refuses the message, ScriptError for other failures.
"""
from __future__ import annotations

import getpass
import socket
import sys
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence, Union

from ..session import Route, Session
from .client import Outcome, Refusal, Transaction, converse
from .commands import prepare, restore_headers
from ..tcllist import tcl_list

__all__ = ["sendmessage", "Refusal"]

Debug = Union[bool, Callable[[str], None]]


class _PythonHost:
    """The conversation's host for Python callers: no event loop, no Tcl."""

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


def sendmessage(message: Any, *,
                servers: Union[str, Sequence[str]] = ("localhost",),
                ports: Union[int, str, Sequence[Union[int, str]]] = (25,),
                client: Optional[str] = None,
                originator: Optional[str] = None,
                recipients: Optional[Union[str, Sequence[str]]] = None,
                headers: Union[Mapping[str, str], Iterable[tuple[str, str]]] = (),
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
                route: Optional[tuple[str, int]] = None) -> list[tuple[str, int, str]]:
    """Send ``message`` (an email.message.EmailMessage) as smtp::sendmessage does.

    The keywords are sendmessage's options (``headers`` is -header, as
    (name, value) pairs or a mapping). ``tlspolicy(code, text)`` returns
    "secure" or "insecure" when STARTTLS is refused. ``tls``: tls::init
    options without the dash, e.g. ``{"cafile": "ca.pem", "require": 1}``.
    ``strict_tls``: verified certificates and host names, no credentials in
    clear. ``auth_mechanisms``/``token_provider``: see tclsmtp.smtp.sasl
    (OAuth only when asked for). ``debug``: True prints tcllib's lines on
    stderr; a callable receives them. ``max_wait`` caps every wait (tcllib:
    600 s).
    """
    from ..mime import token_for_message

    session = Session()
    session.strict_tls = strict_tls
    if route is not None:
        session.route = Route(*route)
    # A part of an interpreter's token keeps its name there (the private
    # session names it too, for the duration of the send).
    state = getattr(message, "state", None)
    own_token = getattr(state, "token", None)
    token = token_for_message(session, message)

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
    tls_options: list[str] = []
    for key, value in (tls or {}).items():
        tls_options += [f"-{key.lstrip('-')}", str(int(value)) if isinstance(value, bool) else str(value)]
    auth = None
    if auth_mechanisms is not None or token_provider is not None:
        from . import sasl
        auth = sasl.AuthConfig(tuple(auth_mechanisms) if auth_mechanisms is not None else None,
                               token_provider)

    try:
        prepared = prepare(session, token, getpass.getuser(), socket.gethostname(), tls_options,
                           args, timer_cap=max_wait, auth=auth)
    except BaseException:
        if state is not None:
            state.token = own_token
        raise
    host = _PythonHost(debug, tlspolicy, prepared.bcc, prepared.release_bcc)
    try:
        outcome: Outcome = converse(prepared.plan, host)
    finally:
        restore_headers(session, token, prepared.saved)
        if state is not None:
            state.token = own_token
    refused = list(outcome.refused)
    if outcome.bcc_sent:
        refused += outcome.bcc_refused
    return refused
