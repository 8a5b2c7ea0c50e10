"""``tclsmtp accounts check NAME``: try an account's server the way a send
would (connect, EHLO, STARTTLS, AUTH, QUIT) and say what worked, like
``msmtp --serverinfo``. Nothing is sent."""
from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Callable, Optional

from .accounts.config import Account, AccountError
from .errors import ScriptError

TIMEOUT = "30"              # seconds for each step


@dataclass
class Report:
    lines: list[str] = field(default_factory=list)
    failed: bool = False

    def ok(self, step: str, text: str = "") -> None:
        self.lines.append(f"{step}: ok" + (f" ({text})" if text else ""))

    def fail(self, step: str, text: str) -> None:
        self.failed = True
        self.lines.append(f"{step}: FAILED: {text}")

    def say(self, step: str, text: str) -> None:
        self.lines.append(f"{step}: {text}")


def default_port(account: Account) -> int:
    if account.port:
        return account.port
    for _, port in account.match:
        if port:
            return port
    return 465 if account.tls == "implicit" else 25


def check_account(account: Account, username: Optional[str] = None,
                  out: Optional[Callable[[str], None]] = None) -> Report:
    """Run the check; ``out`` gets each line as it is known."""
    from .smtp.tlsconfig import TlsSettings
    from .smtp.wire import Wire

    report = Report()
    emit = out or (lambda line: None)

    def add(kind: str, step: str, text: str = "") -> None:
        getattr(report, kind)(step, text)
        emit(report.lines[-1])

    host = account.connect_host()
    if host is None:
        add("fail", "server", f"{account.label} has no host and no match")
        return report
    port = default_port(account)
    strict = account.strict_tls if account.strict_tls is not None else account.tls != "none"
    tls = TlsSettings(cafile=account.cafile or "", require=bool(account.cafile))
    add("say", "server", f"{host} port {port}, TLS {account.tls or 'as the script says'}, "
                         f"certificate {'verified' if strict else 'not verified'}")
    wire = Wire(None, float(TIMEOUT))
    try:
        try:
            wire.sock = socket.create_connection((host, port), timeout=float(TIMEOUT))
        except OSError as e:
            add("fail", "connect", f"{host} port {port}: {e.strerror or e}")
            return report
        if account.tls == "implicit":
            if not _handshake(wire, tls, strict, host, add, "TLS"):
                return report
        greeting = wire.hear(TIMEOUT)
        if greeting.code != 220:
            add("fail", "connect", f"greeting {greeting.code} {greeting.text}")
            return report
        add("ok", "connect", f"{greeting.code} {greeting.text.splitlines()[0] if greeting.text else ''}".rstrip())
        ehlo = wire.talk(TIMEOUT, "EHLO " + _client_name())
        if ehlo.code != 250:
            add("fail", "EHLO", f"{ehlo.code} {ehlo.text}")
            return report
        add("ok", "EHLO", "capabilities: " + (", ".join(ehlo.args) or "none"))
        if account.tls in ("starttls", None) and not wire.tls:
            if "STARTTLS" in ehlo.args:
                answer = wire.talk(TIMEOUT, "STARTTLS")
                if answer.code != 220:
                    add("fail", "STARTTLS", f"{answer.code} {answer.text}")
                    return report
                if not _handshake(wire, tls, strict, host, add, "STARTTLS"):
                    return report
                ehlo = wire.talk(TIMEOUT, "EHLO " + _client_name())
                if ehlo.code != 250:
                    add("fail", "EHLO", f"{ehlo.code} {ehlo.text}")
                    return report
                add("ok", "EHLO", "capabilities after STARTTLS: " + (", ".join(ehlo.args) or "none"))
            elif account.tls == "starttls":
                add("fail", "STARTTLS", "not offered by the server (the account requires it)")
                return report
            else:
                add("say", "STARTTLS", "not offered by the server: sends go in clear")
        _auth(account, username, wire, ehlo.args, host, port, strict, add)
        quit_reply = wire.talk(TIMEOUT, "QUIT")
        if quit_reply.code == 221:
            add("ok", "QUIT")
        else:
            add("say", "QUIT", f"{quit_reply.code} {quit_reply.text}")
    finally:
        wire.close()
    return report


def _client_name() -> str:
    return socket.gethostname() or "localhost"


def _handshake(wire, tls, strict: bool, host: str, add, step: str) -> bool:
    try:
        wire.start_tls(tls.context(strict), tls.server_hostname(host), float(TIMEOUT))
    except ScriptError as e:
        add("fail", step, e.message)
        return False
    except (ValueError, OSError) as e:
        from .smtp.client import _ssl_reason
        add("fail", step, f"TLS handshake failed: {_ssl_reason(e)}")
        return False
    version = wire.sock.version() if wire.sock is not None else "?"
    add("ok", step, f"{version}, certificate "
        + (f"verified for {host}" if strict else "not verified (strict_tls = false)"))
    return True


def _auth(account: Account, username: Optional[str], wire, ehlo_args: list[str], host: str,
          port: int, strict: bool, add) -> None:
    from .smtp import sasl
    offered = sasl.offered_mechanisms(ehlo_args)
    user = account.username or username or ""
    has_login = account.password is not None or account.oauth is not None
    if not offered:
        if has_login:
            add("fail", "AUTH", "the server offers no AUTH (the account has credentials)")
        else:
            add("say", "AUTH", "not offered by the server (none configured)")
        return
    add("say", "AUTH", "offered: " + " ".join(offered))
    if not has_login:
        add("say", "AUTH", "not tried: the account has no password or oauth (the script's "
                           "-password is used)")
        return
    if not user:
        add("fail", "AUTH", "no user name: set username in the account, or give --username")
        return
    if strict and not wire.tls:
        add("fail", "AUTH", "strict TLS: credentials are not sent in clear")
        return
    try:
        password = ""
        provider = None
        if account.password is not None:
            from .accounts.secrets import read_secret
            password = read_secret(account.password, account=account.name, keyring_user=user)
        if account.oauth is not None:
            from .accounts.apply import token_provider
            provider = token_provider(account, user)
        config = sasl.AuthConfig(account.mechanisms, provider)
        failures: list[str] = []
        outcome = sasl.authenticate(
            lambda line, secret=False: wire.talk(TIMEOUT, line),
            offered, user, password, host=host, port=port, config=config,
            log=failures.append)
    except (AccountError, ScriptError) as e:
        add("fail", "AUTH", str(e) if isinstance(e, AccountError) else e.message)
        return
    if outcome.authenticated:
        add("ok", "AUTH", f"{outcome.mechanism} as {user}")
        return
    if not outcome.attempts:
        wanted = " ".join(config.order())
        add("fail", "AUTH", f"none of the account's mechanisms ({wanted}) is offered")
        return
    add("fail", "AUTH", "; ".join(
        f"{a.mechanism}: " + (f"{a.code} {a.text.splitlines()[0] if a.text else ''}".rstrip()
                              if a.code is not None else a.text) for a in outcome.attempts))
