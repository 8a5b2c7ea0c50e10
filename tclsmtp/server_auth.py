"""Server-side SASL mechanisms for RecordingServer (tests, capture mode).

aiosmtpd has PLAIN and LOGIN; these add CRAM-MD5, DIGEST-MD5, SCRAM-SHA-1,
SCRAM-SHA-256 (through scramp), XOAUTH2, OAUTHBEARER and, with pyspnego,
NTLM. Each is an object with one aiosmtpd ``auth_MECH`` method; pass the
ones a server should offer:

    RecordingServer(credentials=users, auth_handlers=[CramMd5Auth(users)])

Every handler records what it saw in ``self.log`` (challenges sent,
mechanism results), so tests can recompute what the client should have
answered.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import os
import secrets
import threading
from dataclasses import dataclass, field
from typing import Any, Callable, Optional, Union

import scramp
from aiosmtpd.smtp import MISSING, SMTP, AuthResult, LoginPassword, auth_mechanism

from .smtp.sasl_mechanisms import digest_md5_value, parse_digest_challenge


@dataclass
class AuthEvent:
    """One AUTH attempt as the server saw it."""
    mechanism: str
    user: Optional[str] = None
    success: bool = False
    challenges: list[bytes] = field(default_factory=list)   # decoded, as sent
    responses: list[bytes] = field(default_factory=list)    # decoded, as received
    details: dict[str, Any] = field(default_factory=dict)


class _Recorder:
    def __init__(self) -> None:
        self.log: list[AuthEvent] = []
        self._lock = threading.Lock()

    def _event(self, mechanism: str) -> AuthEvent:
        event = AuthEvent(mechanism)
        with self._lock:
            self.log.append(event)
        return event

    @staticmethod
    async def _challenge(server: SMTP, event: AuthEvent, data: bytes) -> Union[bytes, None]:
        """Send a 334 challenge; the client's decoded answer, or None when it
        cancelled or sent bad base64 (aiosmtpd has already replied 501)."""
        event.challenges.append(data)
        answer = await server.challenge_auth(data)
        if answer is MISSING:
            return None
        event.responses.append(answer)
        return answer

    @staticmethod
    async def _initial(server: SMTP, event: AuthEvent, args: list[str]) -> Union[bytes, None]:
        """The initial response on the AUTH line, or asked for with ``334 ``."""
        if len(args) > 1:
            if args[1] == "=":
                event.responses.append(b"")
                return b""
            try:
                data = base64.b64decode(args[1], validate=True)
            except binascii.Error:
                await server.push("501 5.5.2 Can't decode base64")
                return None
            event.responses.append(data)
            return data
        return await _Recorder._challenge(server, event, b"")

    refusal: Optional[str] = None       # the reply to a refused login (default 535)

    def _done(self, event: AuthEvent, user: Optional[str], ok: bool) -> AuthResult:
        event.user, event.success = user, ok
        if ok:
            return AuthResult(success=True, auth_data=LoginPassword(
                (user or "").encode("utf-8"), b""))
        return AuthResult(success=False, handled=False, message=self.refusal)


# Exchange Online's answer to a password once Basic authentication is off.
BASIC_AUTH_DISABLED = ("550 5.7.30 Basic authentication is not supported for Client "
                       "Submission")


class PlainAuth(_Recorder):
    """PLAIN with its own ``credentials`` (replaces aiosmtpd's built-in one,
    so that one mechanism can refuse what another accepts). ``refusal``: the
    reply to a refused login, e.g. BASIC_AUTH_DISABLED."""

    def __init__(self, credentials: dict[str, str], refusal: Optional[str] = None) -> None:
        super().__init__()
        self.credentials = credentials
        self.refusal = refusal

    async def auth_PLAIN(self, server: SMTP, args: list[str]) -> AuthResult:
        event = self._event("PLAIN")
        data = await self._initial(server, event, args)
        if data is None:
            return AuthResult(success=False, handled=True)
        parts = data.split(b"\0")
        if len(parts) != 3:
            return self._done(event, None, False)
        user = parts[1].decode("utf-8", "replace")
        ok = self.credentials.get(user) == parts[2].decode("utf-8", "replace")
        return self._done(event, user, ok)


class LoginAuth(_Recorder):
    """LOGIN with its own ``credentials`` and aiosmtpd's prompts."""

    def __init__(self, credentials: dict[str, str], prompts: tuple[bytes, ...] = (
            b"User Name\0", b"Password\0"), refusal: Optional[str] = None) -> None:
        super().__init__()
        self.credentials = credentials
        self.prompts = prompts          # a third prompt tests a confused client
        self.refusal = refusal

    async def auth_LOGIN(self, server: SMTP, args: list[str]) -> AuthResult:
        event = self._event("LOGIN")
        answers = []
        for prompt in self.prompts:
            answer = await self._challenge(server, event, prompt)
            if answer is None:
                return AuthResult(success=False, handled=True)
            answers.append(answer)
        user = answers[0].decode("utf-8", "replace")
        ok = len(answers) == 2 and self.credentials.get(user) == answers[1].decode("utf-8", "replace")
        return self._done(event, user, ok)


class CramMd5Auth(_Recorder):
    """CRAM-MD5 (RFC 2195) against ``credentials`` {user: password}."""

    def __init__(self, credentials: dict[str, str], hostname: str = "localhost") -> None:
        super().__init__()
        self.credentials = credentials
        self.hostname = hostname

    @auth_mechanism("CRAM-MD5")
    async def auth_CRAM__MD5(self, server: SMTP, args: list[str]) -> AuthResult:
        event = self._event("CRAM-MD5")
        challenge = f"<{os.getpid()}.{secrets.randbelow(10**9)}@{self.hostname}>".encode()
        answer = await self._challenge(server, event, challenge)
        if answer is None:
            return AuthResult(success=False, handled=True)
        user_b, _, digest = answer.rpartition(b" ")
        user = user_b.decode("utf-8", "replace")
        password = self.credentials.get(user)
        ok = password is not None and hmac.compare_digest(
            hmac.new(password.encode("utf-8"), challenge, hashlib.md5).hexdigest().encode(),
            digest.lower())
        return self._done(event, user, ok)


class DigestMd5Auth(_Recorder):
    """DIGEST-MD5 (RFC 2831) as tcllib's server offers it (charset=utf-8,
    qop auth). It accepts tcllib's quoted ``nc`` and checks the response
    against the client's own digest-uri, then sends rspauth."""

    def __init__(self, credentials: dict[str, str], realm: str = "localhost") -> None:
        super().__init__()
        self.credentials = credentials
        self.realm = realm

    @auth_mechanism("DIGEST-MD5")
    async def auth_DIGEST__MD5(self, server: SMTP, args: list[str]) -> AuthResult:
        event = self._event("DIGEST-MD5")
        nonce = secrets.token_hex(16)
        challenge = (f'realm="{self.realm}",nonce="{nonce}",qop="auth",charset=utf-8,'
                     f'algorithm=md5-sess').encode()
        answer = await self._challenge(server, event, challenge)
        if answer is None:
            return AuthResult(success=False, handled=True)
        params = parse_digest_challenge(answer)
        event.details["params"] = params
        user = params.get("username", "").encode("latin-1").decode("utf-8", "replace")
        password = self.credentials.get(user)
        needed = ("realm", "nonce", "cnonce", "nc", "digest-uri", "response")
        if password is None or any(k not in params for k in needed) or params["nonce"] != nonce:
            return self._done(event, user, False)
        fields = [params[k].encode("latin-1") for k in ("realm", "digest-uri", "nonce", "nc",
                                                          "cnonce")]
        realm, uri, nonce_b, nc, cnonce = fields
        user_b, pass_b = user.encode("utf-8"), password.encode("utf-8")
        expected = digest_md5_value(user_b, realm, pass_b, uri, nonce_b, nc, cnonce)
        if not hmac.compare_digest(expected.encode(), params["response"].encode("latin-1")):
            return self._done(event, user, False)
        rspauth = digest_md5_value(user_b, realm, pass_b, uri, nonce_b, nc, cnonce,
                                   initial=False)
        final = await self._challenge(server, event, f"rspauth={rspauth}".encode())
        if final is None:
            return AuthResult(success=False, handled=True)
        return self._done(event, user, True)


class _ScramAuth(_Recorder):
    mechanism = ""

    def __init__(self, credentials: dict[str, str], iterations: int = 4096) -> None:
        super().__init__()
        m = scramp.ScramMechanism(self.mechanism)
        self._mech = m
        self._auth_info = {user: m.make_auth_info(pw, iteration_count=iterations)
                           for user, pw in credentials.items()}

    async def _run(self, server: SMTP, args: list[str]) -> AuthResult:
        event = self._event(self.mechanism)
        first = await self._initial(server, event, args)
        if first is None:
            return AuthResult(success=False, handled=True)
        users: list[str] = []

        def lookup(user: str) -> Any:
            users.append(user)
            return self._auth_info[user]

        scram = self._mech.make_server(lookup)
        user = None
        try:
            scram.set_client_first(first.decode("utf-8"))
            user = users[0] if users else None
            final = await self._challenge(server, event, scram.get_server_first().encode())
            if final is None:
                return AuthResult(success=False, handled=True)
            scram.set_client_final(final.decode("utf-8"))
        except (scramp.ScramException, UnicodeDecodeError, KeyError) as e:
            event.details["error"] = str(e)
            return self._done(event, user, False)
        done = await self._challenge(server, event, scram.get_server_final().encode())
        if done is None:
            return AuthResult(success=False, handled=True)
        return self._done(event, user, True)


class ScramSha256Auth(_ScramAuth):
    """SCRAM-SHA-256 (RFC 7677) through scramp."""
    mechanism = "SCRAM-SHA-256"

    @auth_mechanism("SCRAM-SHA-256")
    async def auth_SCRAM__SHA__256(self, server: SMTP, args: list[str]) -> AuthResult:
        return await self._run(server, args)


class ScramSha1Auth(_ScramAuth):
    """SCRAM-SHA-1 (RFC 5802) through scramp."""
    mechanism = "SCRAM-SHA-1"

    @auth_mechanism("SCRAM-SHA-1")
    async def auth_SCRAM__SHA__1(self, server: SMTP, args: list[str]) -> AuthResult:
        return await self._run(server, args)


def _bearer(kvpairs: list[bytes]) -> Optional[str]:
    for pair in kvpairs:
        if pair.startswith(b"auth=Bearer "):
            return pair[len(b"auth=Bearer "):].decode("utf-8", "replace")
    return None


_OAUTH_ERROR = json.dumps({"status": "401", "schemes": "bearer",
                           "scope": "https://mail.example/"}).encode()


TokenCheck = Callable[[str, str], bool]


def _token_ok(tokens: Union[dict[str, str], TokenCheck], user: str, token: str) -> bool:
    if callable(tokens):
        return tokens(user, token)
    return tokens.get(user) == token


class XOAuth2Auth(_Recorder):
    """XOAUTH2 against ``tokens``: {user: access token}, or a function
    ``check(user, token)`` (e.g. asking a test OAuth server whether it issued
    the token); a bad token gets Google's JSON error challenge, then 535
    after the client's empty line."""

    def __init__(self, tokens: Union[dict[str, str], TokenCheck]) -> None:
        super().__init__()
        self.tokens = tokens

    @auth_mechanism("XOAUTH2")
    async def auth_XOAUTH2(self, server: SMTP, args: list[str]) -> AuthResult:
        event = self._event("XOAUTH2")
        data = await self._initial(server, event, args)
        if data is None:
            return AuthResult(success=False, handled=True)
        parts = data.split(b"\x01")
        user = None
        if parts and parts[0].startswith(b"user="):
            user = parts[0][5:].decode("utf-8", "replace")
        token = _bearer(parts[1:])
        ok = (data.endswith(b"\x01\x01") and user is not None and token is not None
              and _token_ok(self.tokens, user, token))
        if not ok:
            if await self._challenge(server, event, _OAUTH_ERROR) is None:
                return AuthResult(success=False, handled=True)
        return self._done(event, user, ok)


class OAuthBearerAuth(_Recorder):
    """OAUTHBEARER (RFC 7628) against ``tokens`` (as XOAuth2Auth's);
    records host and port."""

    def __init__(self, tokens: Union[dict[str, str], TokenCheck]) -> None:
        super().__init__()
        self.tokens = tokens

    @auth_mechanism("OAUTHBEARER")
    async def auth_OAUTHBEARER(self, server: SMTP, args: list[str]) -> AuthResult:
        event = self._event("OAUTHBEARER")
        data = await self._initial(server, event, args)
        if data is None:
            return AuthResult(success=False, handled=True)
        gs2, _, rest = data.partition(b"\x01")
        user = None
        gs2_fields = gs2.split(b",")
        if len(gs2_fields) >= 2 and gs2_fields[1].startswith(b"a="):
            user = (gs2_fields[1][2:].decode("utf-8", "replace")
                    .replace("=2C", ",").replace("=3D", "="))
        kv = rest.split(b"\x01")
        for pair in kv:
            key, sep, value = pair.partition(b"=")
            if sep and key in (b"host", b"port"):
                event.details[key.decode()] = value.decode("utf-8", "replace")
        token = _bearer(kv)
        ok = (gs2.startswith(b"n,") and rest.endswith(b"\x01\x01") and user is not None
              and token is not None and _token_ok(self.tokens, user, token))
        if not ok:
            answer = await self._challenge(server, event, _OAUTH_ERROR)
            if answer is None:
                return AuthResult(success=False, handled=True)
            event.details["abort"] = answer
        return self._done(event, user, ok)


class NtlmAuth(_Recorder):
    """NTLM through pyspnego's server side. pyspnego reads the accounts from
    the file named by the NTLM_USER_FILE environment variable
    (``DOMAIN:USER:PASSWORD`` lines); ``user_file`` sets it."""

    def __init__(self, user_file: Optional[str] = None) -> None:
        super().__init__()
        import spnego   # the optional extra; ImportError tells the caller
        self._spnego = spnego
        if user_file is not None:
            os.environ["NTLM_USER_FILE"] = user_file

    @auth_mechanism("NTLM")
    async def auth_NTLM(self, server: SMTP, args: list[str]) -> AuthResult:
        event = self._event("NTLM")
        negotiate = await self._initial(server, event, args)
        if negotiate is None:
            return AuthResult(success=False, handled=True)
        context = self._spnego.server(protocol="ntlm")
        try:
            challenge = context.step(negotiate)
            authenticate = await self._challenge(server, event, challenge or b"")
            if authenticate is None:
                return AuthResult(success=False, handled=True)
            context.step(authenticate)
            ok = context.complete
            user = context.client_principal
        except Exception as e:  # pyspnego's errors: a refused login
            event.details["error"] = str(e)
            return self._done(event, None, False)
        return self._done(event, user, bool(ok))
