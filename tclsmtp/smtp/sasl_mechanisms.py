"""SASL encodings and client state machines, without any I/O.

The pure functions (``plain_response``, ``cram_md5_response``, ...) give the
bytes a client sends, before base64. The ``*Client`` classes are the state
machines the AUTH conversation in ``sasl.py`` drives: for the mechanisms
tcllib's SASL package has, they answer each server challenge exactly as
tcllib's ``SASL::<MECH>:client`` procs do, including the steps where tcllib
answers with an empty line or gives up with an error.

Strings become bytes the way tcllib's Tcl code turns them into bytes (the
low byte of each character, i.e. Latin-1) whenever that is lossless; a
string with characters beyond U+00FF, which tcllib mangles, is sent as UTF-8
instead (see docs/compat.md, "smtp: authentication").
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from abc import ABC, abstractmethod
from typing import Callable, Optional

import scramp


class MechanismError(Exception):
    """The client cannot answer this challenge (tcllib's SASL step error)."""


# ---------------------------------------------------------------- bytes

def tcl_bytes(text: str) -> bytes:
    """The bytes tcllib sends for a Tcl string (Latin-1), UTF-8 beyond it."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return text.encode("utf-8")


_NOT_BASE64 = re.compile(r"[^A-Za-z0-9+/]")


def tcl_base64_decode(text: str) -> Optional[bytes]:
    """tcllib's ``base64::decode``: drop every non-alphabet character (the
    padding too), then decode strictly; None where tcllib's decode fails
    (a leftover single character)."""
    data = _NOT_BASE64.sub("", text)
    if len(data) % 4 == 1:
        return None
    return base64.b64decode(data + "=" * (-len(data) % 4))


# ---------------------------------------------------------------- pure encodings

def plain_response(username: str, password: str, authzid: str = "") -> bytes:
    """RFC 4616: ``authzid NUL authcid NUL passwd``."""
    return tcl_bytes(authzid) + b"\0" + tcl_bytes(username) + b"\0" + tcl_bytes(password)


def cram_md5_response(username: str, password: str, challenge: bytes) -> bytes:
    """RFC 2195: the user name, a space, and HMAC-MD5(password, challenge) in
    lower-case hex."""
    digest = hmac.new(tcl_bytes(password), challenge, hashlib.md5).hexdigest()
    return tcl_bytes(username) + b" " + digest.encode("ascii")


def anonymous_response(username: str, realm: str = "") -> bytes:
    """tcllib's ANONYMOUS trace: ``user@realm``."""
    return tcl_bytes(username) + b"@" + tcl_bytes(realm)


# DIGEST-MD5 (RFC 2831), written as tcllib writes it.

_TOKEN = r"[0-9A-Za-z\-|~!#$%&*+.^_`]"
_SEP = r"[\]\[\\()<>@,;:\"?={} \t]"
_DIGEST_PARAM = re.compile(rf'({_TOKEN}+)=("(?:\\.|[^"\\])*"|{_TOKEN}+)(?:{_SEP}+|$)')


def parse_digest_challenge(challenge: bytes) -> dict[str, str]:
    """The ``key=value`` pairs of a DIGEST-MD5 challenge, as tcllib's
    ``SASL::DigestParameters`` reads them: quoted values unquoted and
    unescaped, a repeated key keeps its last value. Values are Latin-1
    strings whose characters are the challenge's bytes."""
    params: dict[str, str] = {}
    for key, value in _DIGEST_PARAM.findall(challenge.decode("latin-1")):
        if value.startswith('"'):
            value = re.sub(r"\\(.)", r"\1", value[1:-1])
        params[key] = value
    return params


def _md5_hex(data: bytes) -> str:
    return hashlib.md5(data).hexdigest()


def digest_md5_value(username: bytes, realm: bytes, password: bytes, uri: bytes,
                     nonce: bytes, nc: bytes, cnonce: bytes, qop: bytes = b"auth",
                     *, initial: bool = True) -> str:
    """RFC 2831 2.1.2.1 ``response-value`` (``initial``) or 2.1.2.2
    ``rspauth`` (not ``initial``), without authzid, as tcllib computes it."""
    a1 = hashlib.md5(username + b":" + realm + b":" + password).digest()
    a2 = (b"AUTHENTICATE:" if initial else b":") + uri
    if qop != b"auth":
        a2 += b":" + b"0" * 32
    ha1 = _md5_hex(a1 + b":" + nonce + b":" + cnonce)
    ha2 = _md5_hex(a2)
    return _md5_hex(b":".join([ha1.encode(), nonce, nc, cnonce, qop, ha2.encode()]))


def digest_md5_response(username: str, password: str, challenge: bytes, *,
                        cnonce: Optional[str] = None, nc: int = 1,
                        service: str = "smtp", default_realm: str = "") -> bytes:
    """tcllib's DIGEST-MD5 answer to the server's first challenge.

    Like tcllib: the realm is the challenge's (else ``default_realm``), the
    digest-uri is ``service/realm``, user name and password are encoded in
    the challenge's ``charset`` (else ISO 8859-1), ``nc`` is quoted, ``qop``
    is ``auth``, and ``charset`` is echoed when the server gave one.
    ``cnonce``: 32 hex digits; random when not given.
    """
    params = parse_digest_challenge(challenge)
    if "nonce" not in params:
        # tcllib: reading $params(nonce) fails.
        raise MechanismError("can't read \"params(nonce)\": no such element in array")
    charset = params.get("charset", "iso8859-1")
    try:
        user_b = username.encode(_python_codec(charset), "replace")
        pass_b = password.encode(_python_codec(charset), "replace")
    except LookupError:
        raise MechanismError(f'unknown encoding "{charset}"') from None
    realm_b = params["realm"].encode("latin-1") if "realm" in params else tcl_bytes(default_realm)
    nonce_b = params["nonce"].encode("latin-1")
    cnonce_b = (cnonce if cnonce is not None else secrets.token_hex(16)).encode("ascii")
    nc_b = b"%08u" % nc
    uri_b = service.encode("ascii") + b"/" + realm_b
    value = digest_md5_value(user_b, realm_b, pass_b, uri_b, nonce_b, nc_b, cnonce_b)
    q = _quoted_string
    out = (b'username=' + q(user_b) + b',realm=' + q(realm_b) + b',nonce=' + q(nonce_b)
           + b',nc="' + nc_b + b'",cnonce=' + q(cnonce_b) + b',digest-uri=' + q(uri_b)
           + b',response="' + value.encode() + b'",qop=auth')
    if "charset" in params:
        out += b",charset=" + params["charset"].encode("latin-1")
    return out


def _quoted_string(value: bytes) -> bytes:
    """RFC 2831 quoted-string: backslash before ``"`` and ``\\``. tcllib
    writes the value bare, so ``DOMAIN\\user`` reaches the server as
    ``DOMAINuser`` (docs/compat.md); values without them are the same."""
    return b'"' + value.replace(b"\\", b"\\\\").replace(b'"', b'\\"') + b'"'


def _python_codec(charset: str) -> str:
    """The codec for a DIGEST-MD5 ``charset``, named as Tcl names encodings
    (tcllib passes it to ``encoding convertto``): lower case, ``iso8859-1``.
    RFC 2831's only value, utf-8, is also taken in any case (Tcl refuses
    ``UTF-8``; docs/compat.md)."""
    if charset.lower() == "utf-8":
        return "utf-8"
    if charset != charset.lower():
        raise LookupError(charset)
    return {"iso8859-1": "latin-1"}.get(charset, charset)


# OAuth 2.0 bearer tokens.

def xoauth2_initial(username: str, token: str) -> bytes:
    """Google's / Microsoft's XOAUTH2: ``user=U^Aauth=Bearer T^A^A``."""
    return b"user=" + username.encode("utf-8") + b"\x01auth=Bearer " + token.encode("utf-8") + b"\x01\x01"


def _saslname(name: str) -> str:
    # RFC 5801 / RFC 7628 gs2-header: "=" and "," are escaped.
    return name.replace("=", "=3D").replace(",", "=2C")


def oauthbearer_initial(username: str, token: str, host: str, port: int) -> bytes:
    """RFC 7628 section 3.1 client response: gs2 header with ``a=user``,
    then ``host``, ``port`` and ``auth=Bearer token`` separated by ^A."""
    gs2 = f"n,a={_saslname(username)}," if username else "n,,"
    return (f"{gs2}\x01host={host}\x01port={port}\x01auth=Bearer {token}\x01\x01").encode("utf-8")


OAUTHBEARER_ABORT = b"\x01"   # RFC 7628 3.2.3: the client's answer to an error challenge


# ---------------------------------------------------------------- state machines

class ClientMechanism(ABC):
    """One attempt of one mechanism.

    ``initial_response()``: bytes to send on the AUTH line (None: send
    ``AUTH NAME`` alone, as tcllib always does). ``respond(challenge)``: the
    answer to a 334 challenge, raising MechanismError where the client has
    no answer. ``secret``: whether the last answer reveals a credential.
    """
    name = ""
    secret = False

    def initial_response(self) -> Optional[bytes]:
        return None

    @abstractmethod
    def respond(self, challenge: bytes) -> bytes: ...


class PlainClient(ClientMechanism):
    """tcllib's PLAIN: every challenge gets ``NUL user NUL password``."""
    name = "PLAIN"
    secret = True

    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password

    def respond(self, challenge: bytes) -> bytes:
        return plain_response(self.username, self.password)


class LoginClient(ClientMechanism):
    """tcllib's LOGIN: user name, then password, whatever the prompts say;
    an empty first challenge gets an empty answer."""
    name = "LOGIN"

    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password
        self.step = 0

    def respond(self, challenge: bytes) -> bytes:
        if self.step == 0 and not challenge:
            self.secret = False
            return b""
        self.step += 1
        if self.step == 1:
            self.secret = False
            return tcl_bytes(self.username)
        if self.step == 2:
            self.secret = True
            return tcl_bytes(self.password)
        raise MechanismError(f'unexpected state "{self.step}": LOGIN has only 2 steps')


class CramMd5Client(ClientMechanism):
    """tcllib's CRAM-MD5: one step; an empty challenge gets an empty answer."""
    name = "CRAM-MD5"

    def __init__(self, username: str, password: str) -> None:
        self.username, self.password = username, password
        self.step = 0

    def respond(self, challenge: bytes) -> bytes:
        if self.step != 0:
            raise MechanismError("unexpected state: CRAM-MD5 has only 1 step")
        if not challenge:
            self.secret = False
            return b""
        self.step += 1
        self.secret = True   # an offline dictionary attack recovers the password
        return cram_md5_response(self.username, self.password, challenge)


class DigestMd5Client(ClientMechanism):
    """tcllib's DIGEST-MD5: the digest response, then an empty line after
    the server's rspauth (which tcllib does not check)."""
    name = "DIGEST-MD5"

    def __init__(self, username: str, password: str, *, service: str = "smtp",
                 cnonce_factory: Callable[[], str] = lambda: secrets.token_hex(16)) -> None:
        self.username, self.password = username, password
        self.service = service
        self.cnonce_factory = cnonce_factory
        self.step = 0
        self.noncecount = 0
        self.challenge: Optional[bytes] = None

    def respond(self, challenge: bytes) -> bytes:
        if self.step == 0 and not challenge:
            if self.challenge is None:
                self.secret = False
                return b""
            challenge = self.challenge
        self.step += 1
        if self.step == 1:
            self.challenge = challenge
            self.noncecount += 1
            self.secret = True
            return digest_md5_response(self.username, self.password, challenge,
                                       cnonce=self.cnonce_factory(), nc=self.noncecount,
                                       service=self.service)
        if self.step == 2:
            self.secret = False
            return b""
        raise MechanismError("invalid state")


class AnonymousClient(ClientMechanism):
    """tcllib's ANONYMOUS: the trace ``user@`` to every challenge."""
    name = "ANONYMOUS"

    def __init__(self, username: str) -> None:
        self.username = username

    def respond(self, challenge: bytes) -> bytes:
        return anonymous_response(self.username)


class ScramClient(ClientMechanism):
    """SCRAM-SHA-1 / SCRAM-SHA-256 (RFC 5802, RFC 7677) through scramp,
    without channel binding; the server's signature is checked."""
    secret = False

    def __init__(self, name: str, username: str, password: str,
                 c_nonce: Optional[str] = None) -> None:
        self.name = name
        try:
            # SASLprep (RFC 4013) refuses e.g. control characters: then the
            # next mechanism is tried, as after any failure.
            self.client = scramp.ScramClient([name], username, password, c_nonce=c_nonce)
        except scramp.ScramException as e:
            raise MechanismError(f"{name}: {e}") from None
        self.step = 0
        self.verified = False

    def initial_response(self) -> bytes:
        try:
            return self.client.get_client_first().encode("utf-8")
        except scramp.ScramException as e:
            raise MechanismError(f"{self.name}: {e}") from None

    def respond(self, challenge: bytes) -> bytes:
        self.step += 1
        try:
            if self.step == 1:
                self.client.set_server_first(challenge.decode("utf-8"))
                self.secret = True   # the proof allows an offline attack
                return self.client.get_client_final().encode("utf-8")
            if self.step == 2:
                self._verify(challenge)
                self.secret = False
                return b""
        except (scramp.ScramException, UnicodeDecodeError) as e:
            raise MechanismError(f"{self.name}: {e}") from None
        raise MechanismError(f"{self.name}: unexpected challenge")

    def _verify(self, server_final: bytes) -> None:
        self.client.set_server_final(server_final.decode("utf-8"))
        self.verified = True


def _check_oauth_fields(*fields: str) -> None:
    # ^A separates the fields: one inside a value would add fields of its own.
    if any("\x01" in f for f in fields):
        raise MechanismError("the user name or token contains a ^A (\\x01) character")


class XOAuth2Client(ClientMechanism):
    """XOAUTH2: the token on the AUTH line; an error challenge (JSON) gets
    an empty answer, after which the server gives its final refusal."""
    name = "XOAUTH2"
    secret = True

    def __init__(self, username: str, token: str) -> None:
        _check_oauth_fields(username, token)
        self.username, self.token = username, token
        self.error: Optional[bytes] = None

    def initial_response(self) -> bytes:
        return xoauth2_initial(self.username, self.token)

    def respond(self, challenge: bytes) -> bytes:
        self.error = challenge
        self.secret = False
        return b""


class OAuthBearerClient(ClientMechanism):
    """OAUTHBEARER (RFC 7628): like XOAUTH2, but the answer to an error
    challenge is a single ^A."""
    name = "OAUTHBEARER"
    secret = True

    def __init__(self, username: str, token: str, host: str, port: int) -> None:
        _check_oauth_fields(username, token, host)
        self.username, self.token, self.host, self.port = username, token, host, port
        self.error: Optional[bytes] = None

    def initial_response(self) -> bytes:
        return oauthbearer_initial(self.username, self.token, self.host, self.port)

    def respond(self, challenge: bytes) -> bytes:
        self.error = challenge
        self.secret = False
        return OAUTHBEARER_ABORT
