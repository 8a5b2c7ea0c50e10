"""SMTP AUTH (RFC 4954) for the smtp engine, as tcllib's smtp.tcl does it.

The engine owns the socket; this module owns the AUTH conversation. It
calls ``exchange(line, secret=...)`` to send one line and read the reply:

    outcome = authenticate(exchange, offered_mechanisms(ehlo_args),
                           username, password, host=host, port=port,
                           config=auth_config(session), log=debug_print)

How it behaves, measured against tcllib 1.21 (smtp.tcl's initialize_ehlo
and Authenticate, SASL 1.3.3):

- Nothing happens without a user name (tcllib needs ``-username``).
- The mechanisms are tried strongest first among those the server offers;
  when one ends with anything but 235, the next is tried; when none is left
  the send carries on unauthenticated (the server's refusal of MAIL FROM is
  then what the script sees). Each failure is reported through ``log`` with
  tcllib's ``-debug`` line ``AUTH <MECH> failed: <reply dict> ``.
- The mechanisms tcllib has are sent exactly as tcllib sends them: ``AUTH
  MECH`` alone, each answer base64 on one line, an empty line where tcllib
  answers with nothing, and no line at all when tcllib's SASL step fails
  (the next ``AUTH`` follows at once, as with tcllib).
- SCRAM-SHA-256 and SCRAM-SHA-1 come first when offered (tcllib has none);
  NTLM is tcllib's NTLM position, through pyspnego when installed.
- XOAUTH2 and OAUTHBEARER are used only when asked for (``AuthConfig``),
  and then no password mechanism is tried unless named too.

The ``exchange`` contract (the engine implements it):

- ``exchange(line, secret=False) -> (code, text)`` sends ``line`` plus CRLF,
  waits (tcllib waits up to 300 s for each AUTH step) and returns the reply
  code and its text: each reply line's text after the code and separator,
  trimmed, joined with "\\n" (tcllib's ``diagnostic`` is the first line,
  ``args`` the others). Reply bytes are decoded as Latin-1.
- ``secret=True`` marks a line that carries a credential (or a value an
  offline attack turns into one): ``-debug`` must not print it.
- A failure of the connection may raise (the exception propagates) or be
  returned as ``(400, message)``, as tcllib's ``talk`` does.
- Instead of the tuple, ``exchange`` may return a reply object with
  ``code`` and ``text`` attributes and a ``tcl()`` method giving tcllib's
  serialization of the reply; the ``-debug`` failure lines then use it
  (it differs from the usual ``diagnostic D args A code C`` when a write
  failed: ``code 400 diagnostic D``).
"""
from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Optional, Protocol, Sequence

from . import sasl_ntlm
from .sasl_mechanisms import (
    AnonymousClient, ClientMechanism, CramMd5Client, DigestMd5Client, LoginClient,
    MechanismError, OAuthBearerClient, PlainClient, ScramClient, XOAuth2Client,
    anonymous_response, cram_md5_response, digest_md5_response, oauthbearer_initial,
    parse_digest_challenge, plain_response, tcl_base64_decode, tcl_bytes, xoauth2_initial,
)

__all__ = [
    "AuthConfig", "AuthOutcome", "Attempt", "Exchange", "authenticate", "auth_config",
    "configure_auth", "offered_mechanisms", "MechanismError", "OAUTH_MECHANISMS",
    "PASSWORD_MECHANISMS", "TCLLIB_MECHANISMS", "plain_response", "cram_md5_response",
    "digest_md5_response", "parse_digest_challenge", "xoauth2_initial",
    "oauthbearer_initial", "anonymous_response", "tcl_base64_decode", "tcl_bytes",
]


class Exchange(Protocol):
    def __call__(self, line: str, *, secret: bool = False) -> Any: ...


# tcllib's SASL::mechanisms order (preferences NTLM 50, DIGEST-MD5 40,
# CRAM-MD5 30, LOGIN 20, PLAIN 10, ANONYMOUS 5), SCRAM above them all.
# tcllib's OTP (45) needs an OTP server; it is not offered (docs/compat.md).
PASSWORD_MECHANISMS: tuple[str, ...] = (
    "SCRAM-SHA-256", "SCRAM-SHA-1", "NTLM", "DIGEST-MD5", "CRAM-MD5", "LOGIN",
    "PLAIN", "ANONYMOUS")
OAUTH_MECHANISMS: tuple[str, ...] = ("OAUTHBEARER", "XOAUTH2")
TCLLIB_MECHANISMS = frozenset({"NTLM", "DIGEST-MD5", "CRAM-MD5", "LOGIN", "PLAIN", "ANONYMOUS"})
KNOWN_MECHANISMS = frozenset(PASSWORD_MECHANISMS + OAUTH_MECHANISMS)

ENV_MECHANISMS = "TCLSMTP_AUTH_MECHANISMS"
MAX_AUTH_LINE = 512          # RFC 4954 section 4: with CRLF; longer: no initial response
MAX_ROUNDS = 32              # 334 replies answered per attempt (tcllib: unbounded)


# ---------------------------------------------------------------- configuration

TokenProvider = Callable[[], str]


@dataclass(frozen=True)
class AuthConfig:
    """Which mechanisms a send may use, and where an OAuth token comes from.

    ``mechanisms``: None for the password mechanisms in tcllib's order
    (SCRAM first; NTLM when pyspnego is installed); otherwise exactly these,
    in this order, e.g. ``("XOAUTH2",)``. OAuth mechanisms are only ever
    tried when listed here, or when a ``token_provider`` is given and
    ``mechanisms`` is None (then: OAUTHBEARER, XOAUTH2, and nothing else).
    ``token_provider``: called once per authentication for a fresh access
    token, on the engine's sending thread (it must not call into Tcl);
    without one the token is the script's ``-password``.
    """
    mechanisms: Optional[tuple[str, ...]] = None
    token_provider: Optional[TokenProvider] = None

    def __post_init__(self) -> None:
        if self.mechanisms is not None:
            names = tuple(dict.fromkeys(m.upper() for m in self.mechanisms))  # once each
            object.__setattr__(self, "mechanisms", names)
            for name in names:
                if name not in KNOWN_MECHANISMS:
                    raise ValueError(f"unknown SASL mechanism {name!r}: must be one of "
                                     + ", ".join(PASSWORD_MECHANISMS + OAUTH_MECHANISMS))
                if name == "NTLM" and not sasl_ntlm.available():
                    raise ValueError("NTLM needs pyspnego: pip install pyspnego")

    def order(self) -> tuple[str, ...]:
        """The mechanisms to try, strongest first."""
        if self.mechanisms is not None:
            return self.mechanisms
        if self.token_provider is not None:
            return OAUTH_MECHANISMS
        return tuple(m for m in PASSWORD_MECHANISMS
                     if m != "NTLM" or sasl_ntlm.available())

    @classmethod
    def from_environment(cls, environ: Optional[dict[str, str]] = None) -> "AuthConfig":
        """``TCLSMTP_AUTH_MECHANISMS="XOAUTH2"`` (names separated by spaces or
        commas): lets an unchanged script send its ``-password`` as a token."""
        value = (os.environ if environ is None else environ).get(ENV_MECHANISMS, "")
        names = tuple(n for n in value.replace(",", " ").split() if n)
        return cls(mechanisms=names or None)


_EXTRAS_KEY = "smtp.auth"


def configure_auth(target: Any, *, mechanisms: Optional[Sequence[str]] = None,
                   token_provider: Optional[TokenProvider] = None) -> AuthConfig:
    """Set the AUTH settings of one interpreter (a tkinter interpreter or a
    tclsmtp Session), e.g. ``configure_auth(interp, mechanisms=["XOAUTH2"],
    token_provider=get_token)``. Settings made here win over the environment."""
    from ..session import session_of
    target = session_of(target)
    config = AuthConfig(tuple(mechanisms) if mechanisms is not None else None, token_provider)
    target.extras[_EXTRAS_KEY] = config
    return config


def auth_config(session: Any) -> AuthConfig:
    """The AUTH settings for a send from ``session``: configure_auth()'s,
    else the environment's, else tcllib's password mechanisms. A bad name in
    the environment is a Tcl error for the script."""
    config = getattr(session, "extras", {}).get(_EXTRAS_KEY) if session is not None else None
    if config is not None:
        return config
    try:
        return AuthConfig.from_environment()
    except ValueError as e:
        from ..errors import ScriptError
        raise ScriptError(f"{ENV_MECHANISMS}: {e}", ("TCLSMTP", "AUTH", "CONFIG")) from None


# ---------------------------------------------------------------- EHLO

def offered_mechanisms(ehlo_args: Iterable[str]) -> list[str]:
    """The mechanisms the server offers, read as tcllib reads them: the
    first EHLO line (after the greeting line) that starts with ``AUTH``
    (either ``AUTH X Y`` or ``AUTH=X Y``), from its sixth character on,
    split on white space. Case matters, as in tcllib."""
    for arg in ehlo_args:
        if arg.startswith("AUTH"):
            return arg[5:].split()
    return []


# ---------------------------------------------------------------- outcome

@dataclass
class Attempt:
    """One mechanism tried: the final reply, or code None when the client
    gave up mid-way (``text`` then says why). ``tcl``: the reply as tcllib
    serializes it, when the exchange gave it."""
    mechanism: str
    code: Optional[int]
    text: str
    tcl: Optional[str] = None


@dataclass
class AuthOutcome:
    mechanism: Optional[str] = None        # the one the server accepted (235)
    attempts: list[Attempt] = field(default_factory=list)

    @property
    def authenticated(self) -> bool:
        return self.mechanism is not None

    @property
    def tried(self) -> bool:
        return bool(self.attempts)


# ---------------------------------------------------------------- the conversation

def authenticate(exchange: Exchange, offered: Sequence[str], username: str, password: str,
                 *, host: str, port: int = 25, config: Optional[AuthConfig] = None,
                 log: Optional[Callable[[str], None]] = None) -> AuthOutcome:
    """Authenticate as tcllib's smtp does (see the module docstring).

    ``offered``: offered_mechanisms() of the EHLO reply. ``host``/``port``:
    the server's, for OAUTHBEARER and NTLM. ``log``: receives tcllib's
    ``-debug`` lines about failed mechanisms (print them on stderr).
    """
    outcome = AuthOutcome()
    if not username:
        return outcome
    config = config or AuthConfig()
    tokens: list[str] = []

    def token() -> str:
        if not tokens:
            tokens.append(_provided_token(config.token_provider) if config.token_provider
                          else password)
        return tokens[0]

    for name in config.order():
        if name not in offered:
            continue
        try:
            mech = _client_for(name, username, password, token, host, port)
        except MechanismError as e:
            outcome.attempts.append(Attempt(name, None, str(e)))
            _log(log, name, str(e))
            continue
        attempt = _attempt(exchange, mech)
        outcome.attempts.append(attempt)
        if attempt.code == 235:
            outcome.mechanism = name
            return outcome
        if attempt.code is None:
            _log(log, name, attempt.text)
        else:
            _log(log, name, attempt.tcl if attempt.tcl is not None else _reply_dict(attempt))
    return outcome


# Replies that say a password is not taken (here, or at all): Exchange
# Online's 5.7.30 "Basic authentication is not supported", 5.7.8 / 535
# "credentials invalid" (Gmail without an app password).
_PASSWORD_REFUSALS = ("5.7.30", "5.7.8")


def password_refusal(outcome: AuthOutcome) -> Optional[str]:
    """The server's refusal of a password mechanism (``535 5.7.8 ...``,
    ``550 5.7.30 ...``) as ``CODE TEXT``, or None when none was refused."""
    for attempt in outcome.attempts:
        if attempt.mechanism in OAUTH_MECHANISMS or attempt.code is None:
            continue
        first = attempt.text.split("\n", 1)[0]
        if attempt.code == 535 or first.startswith(_PASSWORD_REFUSALS):
            return f"{attempt.code} {first}".strip()
    return None


def _provided_token(provider: TokenProvider) -> str:
    """The provider's token; its failure is the script's error, with the
    reason (sending on unauthenticated would only hide it)."""
    from ..errors import ScriptError
    try:
        token = provider()
    except ScriptError:            # an account's provider: its message is complete
        raise
    except Exception as e:
        raise ScriptError(f"OAuth token provider failed: {type(e).__name__}: {e}",
                          ("TCLSMTP", "AUTH", "TOKEN")) from e
    if not isinstance(token, str):
        raise ScriptError(f"OAuth token provider returned {type(token).__name__}, not a string",
                          ("TCLSMTP", "AUTH", "TOKEN"))
    return token


def _log(log: Optional[Callable[[str], None]], name: str, message: str) -> None:
    if log is not None:
        log(f"AUTH {name} failed: {message} ")


def _client_for(name: str, username: str, password: str, token: Callable[[], str],
                host: str, port: int) -> ClientMechanism:
    if name == "PLAIN":
        return PlainClient(username, password)
    if name == "LOGIN":
        return LoginClient(username, password)
    if name == "CRAM-MD5":
        return CramMd5Client(username, password)
    if name == "DIGEST-MD5":
        return DigestMd5Client(username, password)
    if name == "ANONYMOUS":
        return AnonymousClient(username)
    if name.startswith("SCRAM-"):
        return ScramClient(name, username, password)
    if name == "NTLM":
        return sasl_ntlm.NtlmClient(username, password, host)
    if name == "XOAUTH2":
        return XOAuth2Client(username, token())
    if name == "OAUTHBEARER":
        return OAuthBearerClient(username, token(), host, port)
    raise MechanismError(f"unsupported mechanism {name}")


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _talk(exchange: Exchange, line: str, secret: bool = False
          ) -> tuple[int, str, Optional[str]]:
    """One exchange: code, text, and tcllib's serialization if given."""
    reply = exchange(line, secret=secret)
    if isinstance(reply, tuple):
        code, text = reply
        return code, text, None
    return reply.code, reply.text, reply.tcl()


def _attempt(exchange: Exchange, mech: ClientMechanism) -> Attempt:
    """One mechanism's AUTH command and its 334 rounds."""
    tcllib_style = mech.name in TCLLIB_MECHANISMS
    pending: Optional[bytes] = None
    line = f"AUTH {mech.name}"
    secret = False
    if not tcllib_style:
        try:
            initial = mech.initial_response()
        except MechanismError as e:       # nothing sent yet
            return Attempt(mech.name, None, str(e))
        if initial is not None:
            with_initial = f"{line} {_b64(initial) if initial else '='}"
            if len(with_initial) + 2 <= MAX_AUTH_LINE:
                line, secret = with_initial, mech.secret
            else:
                pending = initial   # RFC 4954: sent after the server's empty 334
    code, text, tcl = _talk(exchange, line, secret)
    rounds = 0
    while code == 334:
        rounds += 1
        if pending is not None:
            answer, secret, pending = pending, mech.secret, None
        else:
            challenge_text = text.split("\n", 1)[0].strip(" \t\n\r\v\f")   # Tcl's trim
            challenge = tcl_base64_decode(challenge_text)
            if challenge is None:     # tcllib: not base64, so the text itself
                challenge = tcl_bytes(challenge_text)
            try:
                if rounds > MAX_ROUNDS:
                    raise MechanismError(f"more than {MAX_ROUNDS} challenges")
                answer = mech.respond(challenge)
            except MechanismError as e:
                # RFC 4954: "*" cancels; the server answers 501. tcllib
                # sends nothing here, so the server reads its next command
                # as the answer and the conversation falls out of step.
                _talk(exchange, "*")
                return Attempt(mech.name, None, str(e))
            secret = mech.secret
        code, text, tcl = _talk(exchange, _b64(answer), secret)
    return Attempt(mech.name, code, text, tcl)


# ---------------------------------------------------------------- tcllib's reply dict

def _reply_dict(attempt: Attempt) -> str:
    """tcllib's ``array get response`` of a reply read by ``hear``:
    ``diagnostic D args A code C`` (Tcl's hash order for these keys)."""
    from ..tcllist import quote
    lines = attempt.text.split("\n")
    args = " ".join(quote(a) for a in lines[1:])
    return f"diagnostic {quote(lines[0])} args {quote(args)} code {attempt.code}"
