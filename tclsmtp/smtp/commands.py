"""Primitives of the smtp package (see docs/architecture.md).

``smtp::sendmessage`` (tcl/smtp.tcl) calls ``smtp.send`` with its
arguments (start, and the first ``smtp.next``, in one call), then
``smtp.next`` until the send is over, answering -tlspolicy questions with
``smtp.answer``.
"""
from __future__ import annotations

import math
import os

from ..errors import ScriptError
from ..registry import PrimitiveSet
from ..session import Session
from .client import Outcome, Plan, Transaction
from .envelope import (apply_headers, build_bcc_digest, check_no_nul, plan_envelope, release,
                       restore_headers, snapshot_headers)
from .job import SendJob
from .keepalive import keepalive_seconds, pool_for
from .options import check_line_safety, parse_options
from ..tcllist import split_list, tcl_list
from .tlsconfig import TlsSettings
from .wire import TIMER_CAP

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Iterable, Optional
    from .sasl import AuthConfig

_JOBS = "smtp.jobs"

PRIMITIVES = PrimitiveSet()
primitive = PRIMITIVES.register


def message_chunks(session: Session, token: str) -> Callable[[], Iterable[bytes]]:
    """What ``mime::buildmessage $token`` gives, as a stream of bytes (with
    CR LF line ends: iter_bytes's promise)."""
    def chunks() -> Iterable[bytes]:
        try:
            from ..mime import iter_bytes          # the mime engine's public API
        except ImportError:
            from ..mime.writer import iter_bytes
        return iter_bytes(session.lookup(token))
    return chunks


def message_length(session: Session, token: str) -> Callable[[], Optional[int]]:
    """The length of ``mime::buildmessage $token``'s bytes, for SIZE= (None:
    build it to know)."""
    def length() -> Optional[int]:
        from ..mime import message_length as measure
        return measure(session.lookup(token))
    return length


def result_text(outcome: Outcome) -> str:
    """tcllib's result: the refused recipients' list, with the Bcc copy's
    list appended as a string (``append cres $cres2``, no space)."""
    text = tcl_list([[a, str(c), d] for a, c, d in outcome.refused])
    if outcome.bcc_sent:
        text += tcl_list([[a, str(c), d] for a, c, d in outcome.bcc_refused])
    return text


# A plain class, not a dataclass: importing dataclasses costs a tenth of a
# short script's start-up.
class PreparedSend:
    """A send whose headers are on the message, ready to connect."""
    __slots__ = ("plan", "token", "saved", "bcc", "release_bcc")
    plan: Plan
    token: str
    saved: Any                                  # the headers before, to restore
    bcc: Callable[[], Transaction]
    release_bcc: Callable[[], None]

    def __init__(self, plan: Plan, token: str, saved: Any, bcc: Callable[[], Transaction],
                 release_bcc: Callable[[], None]) -> None:
        self.plan = plan
        self.token = token
        self.saved = saved
        self.bcc = bcc
        self.release_bcc = release_bcc


def max_wait() -> float:
    """The longest any single wait may last (tcllib: 600 s); the environment's
    TCLSMTP_SMTP_MAX_WAIT lowers it, e.g. for scripts that must not hang."""
    value = os.environ.get("TCLSMTP_SMTP_MAX_WAIT", "")
    return checked_max_wait(value, "TCLSMTP_SMTP_MAX_WAIT") if value else TIMER_CAP


def checked_max_wait(value: object, what: str) -> float:
    """A positive number of seconds (at most tcllib's 600), else a clear error."""
    try:
        seconds = float(value)              # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        seconds = math.nan
    if not seconds > 0:                     # NaN, zero, negative
        raise ScriptError(f'{what} must be a positive number of seconds, not "{value}"',
                          ("TCLSMTP", "SMTP", "MAXWAIT"))
    return min(seconds, TIMER_CAP)


def prepare(session: Session, token: str, user: str, hostname: str, tls_options: list[str],
            args: list[str], *, timer_cap: Optional[float] = None,
            auth: Optional["AuthConfig"] = None, account: Optional[str] = None,
            keepalive: Optional[float] = None) -> PreparedSend:
    """tcllib's sendmessage up to the connection: parse the options, work out
    the envelope, add the headers to the message (the caller restores them).
    ``keepalive``: seconds to keep the connection for the next send (0: off,
    tcllib's way; None: TCLSMTP_KEEPALIVE)."""
    options = parse_options(args)
    if keepalive is None:
        keepalive = keepalive_seconds()
    envelope = plan_envelope(session, token, options, user)
    check_line_safety(options, envelope.sender,
                      envelope.recipients + (envelope.bcc_recipients or []))
    check_no_nul(session, token)
    tls = TlsSettings.from_options(tls_options)
    cap = max_wait() if timer_cap is None else checked_max_wait(timer_cap, "max_wait")
    if auth is None and options.username:
        from . import sasl             # scramp and friends: only when authenticating
        auth = sasl.auth_config(session)
    client = options.client
    if client == "":
        client = "localhost" if options.servers == "localhost" else hostname

    saved = snapshot_headers(session, token)
    try:
        apply_headers(session, token, envelope.additions)
    except BaseException:
        restore_headers(session, token, saved)
        raise

    plan = Plan(
        options, servers=options.servers, ports=options.ports, client=client,
        transaction=Transaction(envelope.sender, envelope.recipients,
                                message_chunks(session, token), crlf=True,
                                length=message_length(session, token)),
        bcc_recipients=envelope.bcc_recipients, tls=tls, strict_tls=session.strict_tls,
        route=(session.route.host, session.route.port) if session.route else None,
        auth=auth, timer_cap=cap, keepalive=keepalive)
    try:
        _apply_account(session, token, plan, account)
    except BaseException:
        restore_headers(session, token, saved)
        raise
    digest: list[str] = []

    def bcc() -> Transaction:
        inner, outer = build_bcc_digest(session, token, envelope)
        digest[:] = [inner, outer]
        assert envelope.bcc_recipients is not None
        return Transaction(envelope.sender, envelope.bcc_recipients,
                           message_chunks(session, outer), crlf=True,
                           length=message_length(session, outer))

    def release_bcc() -> None:
        release(session, *digest)
        digest.clear()

    return PreparedSend(plan, token, saved, bcc, release_bcc)


def _apply_account(session: Session, token: str, plan: Plan, account: Optional[str]) -> None:
    """An accounts file (docs/accounts.md) may say where and how this send
    goes; without one the plan stays as the script made it."""
    from ..accounts.apply import apply_account

    def message_id() -> str:
        try:
            return str(session.lookup(token).get("Message-ID", "") or "").strip()
        except Exception:          # only for the log; never fail a send over it
            return ""

    def make_auth(mechanisms: Any, token_provider: Any) -> "AuthConfig":
        from .sasl import AuthConfig
        try:
            return AuthConfig(mechanisms, token_provider)
        except ValueError as e:           # NTLM named without pyspnego
            raise ScriptError(str(e), ("TCLSMTP", "ACCOUNT")) from None
    apply_account(session, plan, make_auth, message_id=message_id, account=account)


def start(session: Session, token: str, user: str, hostname: str, tls_options: str,
          *args: str) -> str:
    """Prepare the send and start the conversation (in a worker thread, or
    here: see SendJob.start).
    Returns the job's handle for smtp.next (smtp.send's first half)."""
    prepared = prepare(session, token, user, hostname, split_list(tls_options), list(args))
    plan = prepared.plan
    pool = pool_for(session) if plan.keepalive > 0 else None
    job = SendJob(plan, prepared.bcc, prepared.release_bcc, pool)
    session.extras.setdefault(_JOBS, {})[job.id] = (job, token, prepared.saved)
    job.start(inline=not plan.debug and not plan.tlspolicy and session.quiet())
    return job.id


def _job(session: Session, handle: str) -> tuple[SendJob, str, Any]:
    try:
        return session.extras.get(_JOBS, {})[handle]
    except KeyError:
        raise ScriptError(f'no smtp send "{handle}" in progress', ("TCLSMTP", "SMTP", "JOB")) from None


@primitive("smtp.next")
def next_event(session: Session, handle: str) -> Any:
    """Wait (servicing Tcl's event loop) for the send's next event:
    ``debug {lines}``, ``policy command code text`` or ``done result``;
    a failed send raises tcllib's error (code 7 for server refusals)."""
    job, token, saved = _job(session, handle)
    event = job.next_event(session.wait)
    kind = event[0]
    if kind == "debug":
        return ["debug", list(event[1])]
    if kind == "policy":
        _, command, code, text = event
        return ["policy", command, str(code), text]
    session.extras[_JOBS].pop(handle, None)
    restore_headers(session, token, saved)
    if kind == "done":
        return ["done", result_text(event[1])]
    error = event[1]
    if isinstance(error, ScriptError) and error.code != 1:
        # tcllib's return code 7: the result may be empty (-maxsecs 0).
        # Uncaught, it reaches the top as Tcl's "command returned bad code:
        # 7" (tclsh's report): that is the message its hint is filed under.
        if error.hint:
            session.note_hint(f"command returned bad code: {error.code}", error.hint)
        return ["return", str(error.code), error.message]
    raise error


@primitive("smtp.send")
def send(session: Session, token: str, user: str, hostname: str, tls_options: str,
         *args: str) -> Any:
    """Start the send and take its first event (smtp.next's) in one call:
    one crossing less per message, a pipe round trip with the helper
    transport. Returns the job's handle followed by the event."""
    handle = start(session, token, user, hostname, tls_options, *args)
    return [handle, *next_event(session, handle)]


@primitive("smtp.answer")
def answer(session: Session, handle: str, value: str) -> None:
    """The -tlspolicy callback's result, for the waiting conversation."""
    job, _, _ = _job(session, handle)
    job.answer(value)
