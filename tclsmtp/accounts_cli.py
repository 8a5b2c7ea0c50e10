"""``tclsmtp accounts list|check NAME|login NAME`` (docs/accounts.md)."""
from __future__ import annotations

import argparse
import sys
from typing import Optional

from .accounts.config import Account, AccountError, Config, config_path, load_config

DESCRIPTION = """\
The accounts of the accounts file (docs/accounts.md): which servers each
one stands for, and whether it works.

commands:
  list         the accounts, what they match and how they log in (no secrets)
  check NAME   connect, EHLO, STARTTLS, AUTH and QUIT as a send would, and
               say what worked (nothing is sent); exit status 1 if a step failed
  login NAME   sign in to a Microsoft 365 user mailbox (device code): prints
               a URL and a code to enter there, then keeps the refresh token

The file: --config FILE, else $TCLSMTP_CONFIG, else config.toml in the user's
config directory, else /etc/tclsmtp/config.toml.
"""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tclsmtp accounts", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", metavar="FILE", help="the accounts file to read")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.add_parser("list", help="the accounts and what they match")
    check = commands.add_parser("check", help="try an account's server (nothing is sent)")
    check.add_argument("name", metavar="NAME")
    check.add_argument("--username", help="the user name, when the account has none "
                                          "(scripts give it with -username)")
    login = commands.add_parser("login", help="device-code sign-in for a user mailbox")
    login.add_argument("name", metavar="NAME")
    login.add_argument("--username", help="the mailbox, when the account has no username")
    return parser


def main(argv: list[str]) -> int:
    parser = _parser()
    ns = parser.parse_args(argv)
    if ns.command is None:
        parser.print_help()
        return 2
    try:
        path = config_path(ns.config)
        if path is None:
            print("tclsmtp accounts: no accounts file (looked for $TCLSMTP_CONFIG, the user "
                  "config directory's tclsmtp/config.toml and /etc/tclsmtp/config.toml)",
                  file=sys.stderr)
            return 1
        config = load_config(path)
        if ns.command == "list":
            print_list(config)
            return 0
        account = config.get(ns.name)
        if ns.command == "check":
            from .accounts_check import check_account
            print(f"account {account.name} ({account.file})", flush=True)
            report = check_account(account, ns.username,
                                   out=lambda line: print(line, flush=True))
            print("result: " + ("FAILED" if report.failed else "ok"))
            return 1 if report.failed else 0
        return login(account, ns.username)
    except AccountError as e:
        print(f"tclsmtp accounts: {e}", file=sys.stderr)
        return 1


def login(account: Account, username: Optional[str]) -> int:
    if account.oauth is None or account.oauth.get("provider") != "microsoft":
        raise AccountError(f"{account.label}: login is for oauth provider 'microsoft' "
                           f"(flow 'device_code')")
    user = account.username or username or ""
    from .accounts.oauth import MicrosoftTokens, token_source
    source = token_source(account, user)
    assert isinstance(source, MicrosoftTokens)      # the provider was checked above
    signed_in = source.login(lambda text: print(text, flush=True))
    if user and signed_in and signed_in.lower() != user.lower():
        print(f"tclsmtp accounts: signed in as {signed_in}, but the account's user is {user}",
              file=sys.stderr)
        return 1
    print(f"signed in as {signed_in or user}; the token is kept in "
          f"{source.cache_file}")
    return 0


def describe_login(account: Account) -> str:
    if account.oauth is not None:
        o = account.oauth
        provider = o["provider"]
        if provider == "command":
            return f"oauth token from the command {o['token_command']!r}"
        if provider == "microsoft":
            how = ("client secret " + o["client_secret"].describe() if "client_secret" in o
                   else f"certificate {o['certificate']}" if "certificate" in o
                   else "device-code login (tclsmtp accounts login)")
            return (f"oauth microsoft, {o.get('flow')}, client {o['client_id']}, "
                    f"tenant {o.get('tenant') or o.get('authority')}, {how}")
        if "service_account_file" in o:
            return f"oauth google, service account {o['service_account_file']}"
        return (f"oauth google, client {o['client_id']}, refresh token "
                f"{o['refresh_token'].describe()}")
    if account.password is not None:
        return "password " + account.password.describe()
    return "the script's -username/-password"


def print_list(config: Config) -> None:
    print(f"accounts file: {config.file}")
    if not config.accounts:
        print("no accounts")
    for account in config.accounts.values():
        print(f"\n[{account.name}]")
        match = ", ".join(h if p is None else f"{h}:{p}" for h, p in account.match) or \
            "(nothing: used only by name)"
        if account.match_username:
            match += f" with -username {' or '.join(account.match_username)}"
        print(f"  matches:  {match}")
        where = account.host or "the script's server"
        port = account.port or "the script's port"
        print(f"  connects: {where} port {port}, TLS {account.tls or 'as the script says'}")
        user = account.username or "the script's -username"
        print(f"  user:     {user}")
        print(f"  login:    {describe_login(account)}")
        if account.mechanisms:
            print(f"  mechanisms: {' '.join(account.mechanisms)}")
        if account.log:
            print(f"  log:      {account.log}")
