"""NTLM for SMTP AUTH through pyspnego (the optional ``ntlm`` extra).

tcllib's SASL::NTLM computes NTLMv1 responses itself; pyspnego speaks
NTLMv2 (docs/compat.md). Without pyspnego, NTLM is simply not offered.
"""
from __future__ import annotations

import functools
import importlib.util
import os
import sys
from typing import Any, Optional

from .sasl_mechanisms import ClientMechanism, MechanismError


def available() -> bool:
    """Whether NTLM can be used: pyspnego is installed. Found without
    importing it (importing pyspnego costs a few hundred milliseconds)."""
    if "spnego" in sys.modules:
        return sys.modules["spnego"] is not None
    return _installed()


@functools.lru_cache(maxsize=None)
def _installed() -> bool:
    # find_spec walks sys.path (~0.1 ms): once per process is enough.
    try:
        return importlib.util.find_spec("spnego") is not None
    except (ImportError, ValueError):
        return False


def _spnego() -> Any:
    try:
        import spnego
    except ImportError:
        raise MechanismError("NTLM needs pyspnego") from None
    return spnego


def ntlm_user(username: str, domain: Optional[str] = None) -> str:
    """``DOMAIN\\user``: tcllib takes the domain from ``USERDOMAIN`` when
    the user name carries none."""
    if domain is None:
        domain = os.environ.get("USERDOMAIN", "")
    if domain and "\\" not in username and "@" not in username:
        return f"{domain}\\{username}"
    return username


class NtlmClient(ClientMechanism):
    """``AUTH NTLM``; the empty challenge gets the NEGOTIATE message, the
    server's CHALLENGE the AUTHENTICATE message (tcllib's two steps)."""
    name = "NTLM"

    def __init__(self, username: str, password: str, host: str) -> None:
        try:
            self.context = _spnego().client(ntlm_user(username), password, hostname=host,
                                            service="SMTP", protocol="ntlm")
        except MechanismError:
            raise
        except Exception as e:  # pyspnego's own error types
            raise MechanismError(f"NTLM: {e}") from None
        self.step = 0

    def respond(self, challenge: bytes) -> bytes:
        self.step += 1
        try:
            if self.step == 1:
                self.secret = False
                return self.context.step() or b""
            if self.step == 2:
                self.secret = True   # the NTLM response allows an offline attack
                return self.context.step(challenge) or b""
        except Exception as e:  # pyspnego raises its own error types
            raise MechanismError(f"NTLM: {e}") from None
        raise MechanismError(f'invalid state "{self.step}')
