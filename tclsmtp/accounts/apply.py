"""Applying an account to a send: the one place the smtp engine asks.

``apply_account(session, plan, ...)`` finds the account for the servers
the script names (or the one named by the Python API's ``account=``) and
changes the plan: where to connect, TLS, the user name, the password or an
OAuth token provider, and the delivery log. Without an accounts file the
plan is left exactly as it was.
"""
from __future__ import annotations

import itertools
import os

from ..errors import ScriptError
from ..tcllist import split_list, tcl_list
from .where import AccountError, config_path

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional
    from .config import Account, Config

CONFIG_KEY = "accounts.config"        # session.extras: install(interp, config=PATH)


def set_config(session: Any, path: "Optional[str | os.PathLike[str]]") -> None:
    session.extras[CONFIG_KEY] = None if path is None else os.fspath(path)


def session_config(session: Any) -> Optional[Config]:
    """The accounts file for sends from ``session``, or None."""
    path = config_path(getattr(session, "extras", {}).get(CONFIG_KEY))
    if path is None:
        return None
    from .config import load_config           # the reader: only when there is a file
    return load_config(path)


def _config_error(e: AccountError) -> ScriptError:
    return ScriptError(str(e), ("TCLSMTP", "ACCOUNT"))


def _port(text: str) -> Optional[int]:
    try:
        return int(text, 10)
    except ValueError:
        import socket
        try:
            return socket.getservbyname(text, "tcp")
        except OSError:
            return None


def apply_account(session: Any, plan: Any, make_auth: Callable[..., Any], *,
                  message_id: Callable[[], str] = str, account: Optional[str] = None
                  ) -> Optional[Account]:
    """Change ``plan`` (a tclsmtp.smtp.client.Plan) for the account of this
    send; returns the account, or None (then the plan is untouched).
    ``make_auth(mechanisms, token_provider)``: the engine's AuthConfig.
    ``message_id()``: the message's Message-ID, asked only for a delivery
    log (parsing the header costs more than the rest of a send's set-up)."""
    try:
        config = session_config(session)
        if config is None:
            if account is not None:
                raise AccountError(f"account {account!r}: no accounts file (set "
                                   f"$TCLSMTP_CONFIG or pass config=)")
            return None
        pairs = [(s, p or "25") for s, p in itertools.zip_longest(
            split_list(plan.servers), split_list(plan.ports), fillvalue="") if s]
        if account is not None:
            chosen = config.get(account)
            host = chosen.connect_host()
            if host is None:
                raise AccountError(f"{chosen.label}: needs host (or match) to be used by name")
            targets = [(host, str(chosen.port or (pairs[0][1] if pairs else "25")))]
        else:
            for server, port in pairs:
                found = config.find(server, _port(port), plan.username)
                if found is not None:
                    break
            else:
                return None
            chosen = found
            # Only the servers this account stands for: its credentials
            # must not go to a fallback server meant for someone else.
            targets = [(chosen.host or s, str(chosen.port or p)) for s, p in pairs
                       if chosen.matches(s, _port(p), plan.username) is not None]
        _apply(chosen, plan, targets, message_id, make_auth)
        return chosen
    except AccountError as e:
        raise _config_error(e) from None


def _apply(account: Account, plan: Any, targets: list[tuple[str, str]],
           message_id: Callable[[], str], make_auth: Callable[..., Any]) -> None:
    plan.servers = tcl_list([s for s, _ in targets])
    plan.ports = tcl_list([p for _, p in targets])
    if account.tls == "implicit":
        plan.tlsimport, plan.usetls = True, False
    elif account.tls == "starttls":
        plan.tlsimport, plan.usetls, plan.require_tls = False, True, True
    elif account.tls == "none":
        plan.tlsimport, plan.usetls = False, False
    if account.cafile:
        plan.tls.cafile, plan.tls.require = account.cafile, True
    # Accounts verify the server's certificate unless told not to (as msmtp).
    if account.strict_tls is not None:
        plan.strict_tls = account.strict_tls
    elif account.tls != "none":
        plan.strict_tls = True
    if account.username is not None:
        plan.username = account.username
    if account.password is not None and plan.username:
        from .secrets import read_secret
        plan.password = read_secret(account.password, account=account.name,
                                    keyring_user=plan.username)
    if account.oauth is not None or account.mechanisms is not None:
        provider = None
        if account.oauth is not None:
            if not plan.username:
                raise AccountError(f"{account.label}: oauth needs the mailbox's user name "
                                   f"(set username, or give -username)")
            provider = token_provider(account, plan.username)
        # the engine makes its AuthConfig of these (this layer is below it)
        plan.auth = make_auth(account.mechanisms, provider)
    if account.keepalive is not None:
        plan.keepalive = account.keepalive
    if account.log:
        from .log import DeliveryLog
        plan.observer = DeliveryLog(account.log, account.name, message_id())


def token_provider(account: Account, username: str) -> Any:
    """The engine's token provider for the account and user: one per token
    source, so sends through one account can share a kept connection."""
    from .oauth import token_source
    source = token_source(account, username)
    provide = getattr(source, "provider", None)
    if provide is None:
        def provide() -> str:
            try:
                return source.token()
            except AccountError as e:
                raise ScriptError(str(e), ("TCLSMTP", "AUTH", "TOKEN")) from None
        source.provider = provide          # type: ignore[attr-defined]
    return provide
