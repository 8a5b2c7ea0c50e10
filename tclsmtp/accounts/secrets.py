"""Reading an account's secrets: from the file, a command's output (msmtp's
passwordeval), an environment variable or the OS keyring (``keyring``).

Errors say where the secret should have come from, never what it is.
"""
from __future__ import annotations

import os
import subprocess
from typing import Optional

from .config import AccountError, Secret

COMMAND_TIMEOUT = 120.0          # seconds: a helper may ask a GPG agent for a passphrase


def read_secret(secret: Secret, *, account: str, keyring_user: Optional[str] = None) -> str:
    """The secret's value. ``keyring_user``: the user name it is stored
    under in the keyring (the account's user name)."""
    if secret.kind == "literal":
        return secret.value
    if secret.kind == "env":
        value = os.environ.get(secret.value)
        if value is None:
            raise AccountError(f"account {account}: {secret.key}: the environment variable "
                               f"{secret.value} is not set")
        return value
    if secret.kind == "command":
        return run_command(secret.value, what=f"account {account}: {secret.key}")
    if secret.kind == "keyring":
        return _from_keyring(secret, account, keyring_user)
    raise AssertionError(secret.kind)


def run_command(command: str, *, what: str) -> str:
    """A command's output, run by the shell as msmtp runs passwordeval, with
    one trailing newline removed. Its stderr goes to ours, so a helper can
    still ask for a passphrase."""
    try:
        done = subprocess.run(command, shell=True, stdout=subprocess.PIPE,
                              stdin=subprocess.DEVNULL, timeout=COMMAND_TIMEOUT)
    except subprocess.TimeoutExpired:
        raise AccountError(f"{what}: the command {command!r} did not finish within "
                           f"{COMMAND_TIMEOUT:.0f} seconds") from None
    except OSError as e:
        raise AccountError(f"{what}: cannot run {command!r}: {e.strerror or e}") from None
    if done.returncode != 0:
        raise AccountError(f"{what}: the command {command!r} failed "
                           f"(exit status {done.returncode})")
    out = done.stdout
    if out.endswith(b"\r\n"):
        out = out[:-2]
    elif out.endswith(b"\n"):
        out = out[:-1]
    try:
        value = out.decode("utf-8")
    except UnicodeDecodeError:
        value = out.decode("latin-1")     # as tcllib would send the bytes
    if value == "":
        raise AccountError(f"{what}: the command {command!r} printed nothing")
    return value


def _from_keyring(secret: Secret, account: str, user: Optional[str]) -> str:
    try:
        import keyring
        import keyring.errors
    except ImportError:
        raise AccountError(f"account {account}: {secret.key} needs the keyring package: "
                           f"pip install 'tclsmtp[keyring]'") from None
    if not user:
        raise AccountError(f"account {account}: {secret.key} needs a user name to look up "
                           f"(set username in the account, or give -username)")
    try:
        value = keyring.get_password(secret.value, user)
    except keyring.errors.KeyringError as e:
        raise AccountError(f"account {account}: {secret.key}: the keyring failed: "
                           f"{type(e).__name__}: {e}") from None
    if value is None:
        raise AccountError(f"account {account}: {secret.key}: no password in the keyring for "
                           f"service {secret.value!r}, user {user!r} (store one with: keyring "
                           f"set {secret.value} {user})")
    return value
