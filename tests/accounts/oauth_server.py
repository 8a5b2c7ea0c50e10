"""A real OAuth 2.0 provider on loopback, over HTTPS (trustme), for msal and
google-auth to talk to: OpenID configurations and token endpoints laid out
as Microsoft's and Google's are, and the grants tclsmtp's accounts use:

- Microsoft (``/TENANT/v2.0/.well-known/openid-configuration``,
  ``/TENANT/oauth2/v2.0/token`` and ``.../devicecode``): client credentials
  with a secret or a certificate (a signed JWT client assertion), the
  device-code grant (approved as soon as it is asked: the user "signed in"),
  and refresh tokens;
- Google (``/.well-known/openid-configuration``, ``/token``): a stored
  refresh token, and a service account's signed JWT (domain-wide
  delegation: ``sub`` names the mailbox).

It keeps every access token it issued with its user and expiry, so an SMTP
test server can accept exactly those (``check``), and its clock can be
moved forward (``advance``) to make them expire.
"""
from __future__ import annotations

import base64
import json
import secrets
import ssl
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Optional

import jwt                                  # PyJWT: verifying the clients' signed assertions


GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"


@dataclass
class Issued:
    user: Optional[str]                     # None: an app token, good for any mailbox
    expires: float
    client_id: str


@dataclass
class OAuthServer:
    context: ssl.SSLContext
    lifetime: int = 3600                    # expires_in of the access tokens issued
    apps: dict[str, str] = field(default_factory=dict)          # client_id -> secret
    app_certs: dict[str, Any] = field(default_factory=dict)     # client_id -> public key
    user: str = "reports@example.com"       # who "signs in" in the device-code flow
    service_accounts: dict[str, Any] = field(default_factory=dict)   # email -> public key
    google_refresh: dict[str, tuple[str, str]] = field(default_factory=dict)  # rt -> (client, user)

    def __post_init__(self) -> None:
        self.skew = 0.0
        self.tokens: dict[str, Issued] = {}
        self.refresh_tokens: dict[str, tuple[str, str]] = {}
        self.device_codes: dict[str, str] = {}
        self.requests: list[tuple[str, str]] = []          # (path, grant_type)
        self.lock = threading.Lock()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _make_handler(self))
        self.httpd.daemon_threads = True
        self.httpd.socket = self.context.wrap_socket(self.httpd.socket, server_side=True)
        self.port = self.httpd.server_address[1]
        self.base = f"https://127.0.0.1:{self.port}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    # -- for the tests and the SMTP server
    def now(self) -> float:
        return time.time() + self.skew

    def advance(self, seconds: float) -> None:
        self.skew += seconds

    def check(self, user: str, token: str) -> bool:
        """Did we issue ``token`` for ``user``, and is it still valid?"""
        with self.lock:
            issued = self.tokens.get(token)
        return (issued is not None and issued.expires > self.now()
                and issued.user in (None, user))

    def grants(self) -> list[str]:
        return [g for p, g in self.requests if g]

    # -- issuing
    def issue(self, user: Optional[str], client_id: str, scope: str,
              refresh: bool = False) -> dict[str, Any]:
        token = "at-" + secrets.token_urlsafe(24)
        with self.lock:
            self.tokens[token] = Issued(user, self.now() + self.lifetime, client_id)
        body: dict[str, Any] = {"token_type": "Bearer", "access_token": token,
                                "expires_in": self.lifetime, "ext_expires_in": self.lifetime,
                                "scope": scope}
        if refresh:
            rt = "rt-" + secrets.token_urlsafe(24)
            with self.lock:
                self.refresh_tokens[rt] = (client_id, user or "")
            body["refresh_token"] = rt
        return body

    def microsoft_config(self, tenant: str) -> dict[str, Any]:
        root = f"{self.base}/{tenant}"
        return {"issuer": f"{root}/v2.0", "authorization_endpoint": f"{root}/oauth2/v2.0/authorize",
                "token_endpoint": f"{root}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{root}/oauth2/v2.0/devicecode",
                "response_types_supported": ["code", "id_token", "code id_token"],
                "subject_types_supported": ["pairwise"],
                "id_token_signing_alg_values_supported": ["RS256"]}

    def google_config(self) -> dict[str, Any]:
        return {"issuer": self.base, "authorization_endpoint": f"{self.base}/o/oauth2/v2/auth",
                "device_authorization_endpoint": f"{self.base}/device/code",
                "token_endpoint": f"{self.base}/token",
                "response_types_supported": ["code", "token", "id_token"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"]}

    def id_token(self, tenant: str, client_id: str, user: str) -> tuple[str, str]:
        oid = "00000000-0000-0000-0000-000000000001"
        claims = {"iss": f"{self.base}/{tenant}/v2.0", "aud": client_id, "sub": "subject-1",
                  "oid": oid, "tid": tenant, "preferred_username": user, "name": "Reports",
                  "iat": int(self.now()), "nbf": int(self.now()),
                  "exp": int(self.now()) + 3600}
        def b64(data: dict) -> str:
            return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
        token = f"{b64({'alg': 'none', 'typ': 'JWT'})}.{b64(claims)}."
        client_info = b64({"uid": oid, "utid": tenant})
        return token, client_info

    # -- the token endpoints
    def microsoft_token(self, tenant: str, form: dict[str, str], endpoint: str
                        ) -> tuple[int, dict[str, Any]]:
        grant = form.get("grant_type", "")
        client_id = form.get("client_id", "")
        scope = form.get("scope", "")
        if grant == "client_credentials":
            if not self._client_ok(client_id, form, endpoint):
                return 401, {"error": "invalid_client",
                             "error_description": "AADSTS7000215: Invalid client secret provided."}
            return 200, self.issue(None, client_id, scope)
        if grant == "urn:ietf:params:oauth:grant-type:device_code":
            user = self.device_codes.pop(form.get("device_code", ""), None)
            if user is None:
                return 400, {"error": "expired_token", "error_description": "AADSTS70020"}
            body = self.issue(user, client_id, scope, refresh=True)
            body["id_token"], body["client_info"] = self.id_token(tenant, client_id, user)
            return 200, body
        if grant == "refresh_token":
            with self.lock:
                known = self.refresh_tokens.pop(form.get("refresh_token", ""), None)
            if known is None or known[0] != client_id:
                return 400, {"error": "invalid_grant",
                             "error_description": "AADSTS70000: The refresh token is invalid."}
            body = self.issue(known[1], client_id, scope, refresh=True)
            body["id_token"], body["client_info"] = self.id_token(tenant, client_id, known[1])
            return 200, body
        return 400, {"error": "unsupported_grant_type", "error_description": grant}

    def _client_ok(self, client_id: str, form: dict[str, str], endpoint: str) -> bool:
        if "client_secret" in form:
            return client_id in self.apps and secrets.compare_digest(
                self.apps[client_id], form["client_secret"])
        if form.get("client_assertion_type") == \
                "urn:ietf:params:oauth:client-assertion-type:jwt-bearer":
            key = self.app_certs.get(client_id)
            if key is None:
                return False
            try:
                claims = jwt.decode(form.get("client_assertion", ""), key,
                                    algorithms=["RS256", "PS256"], audience=endpoint)
            except jwt.PyJWTError:
                return False
            return claims.get("iss") == client_id and claims.get("sub") == client_id
        return False

    def google_token(self, form: dict[str, str], endpoint: str) -> tuple[int, dict[str, Any]]:
        grant = form.get("grant_type", "")
        if grant == "refresh_token":
            known = self.google_refresh.get(form.get("refresh_token", ""))
            client_id = form.get("client_id", "")
            if (known is None or known[0] != client_id
                    or self.apps.get(client_id) != form.get("client_secret")):
                return 400, {"error": "invalid_grant", "error_description": "Bad Request"}
            return 200, self.issue(known[1], client_id, form.get("scope", ""))
        if grant == "urn:ietf:params:oauth:grant-type:jwt-bearer":
            assertion = form.get("assertion", "")
            try:
                unverified = jwt.decode(assertion, options={"verify_signature": False})
                key = self.service_accounts[unverified["iss"]]
                # google-auth names Google's endpoint as the audience whatever
                # token_uri says; Google accepts that (and its own URL).
                claims = jwt.decode(assertion, key, algorithms=["RS256"],
                                    audience=[endpoint, GOOGLE_TOKEN_AUDIENCE])
            except (jwt.PyJWTError, KeyError):
                return 400, {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
            if not claims.get("sub"):
                return 400, {"error": "unauthorized_client",
                             "error_description": "no subject: not delegated"}
            body = self.issue(claims["sub"], claims["iss"], claims.get("scope", ""))
            body.pop("refresh_token", None)
            return 200, body
        return 400, {"error": "unsupported_grant_type"}


def _make_handler(server: OAuthServer) -> type:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:   # quiet
            pass

        def _send(self, status: int, body: dict[str, Any]) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json; charset=utf-8")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self) -> None:
            path = urllib.parse.urlsplit(self.path).path
            with server.lock:
                server.requests.append((path, ""))
            parts = path.strip("/").split("/")
            if path == "/.well-known/openid-configuration":
                return self._send(200, server.google_config())
            if parts[1:] == ["v2.0", ".well-known", "openid-configuration"]:
                return self._send(200, server.microsoft_config(parts[0]))
            self._send(404, {"error": "not_found"})

        def do_POST(self) -> None:
            path = urllib.parse.urlsplit(self.path).path
            length = int(self.headers.get("Content-Length", "0"))
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            with server.lock:
                server.requests.append((path, form.get("grant_type", "")))
            parts = path.strip("/").split("/")
            endpoint = f"{server.base}{path}"
            if path == "/token":
                return self._send(*server.google_token(form, endpoint))
            if parts[1:] == ["oauth2", "v2.0", "token"]:
                return self._send(*server.microsoft_token(parts[0], form, endpoint))
            if parts[1:] == ["oauth2", "v2.0", "devicecode"]:
                code = secrets.token_urlsafe(16)
                server.device_codes[code] = server.user
                return self._send(200, {
                    "device_code": code, "user_code": "ABCD-EFGH",
                    "verification_uri": f"{server.base}/devicelogin", "expires_in": 900,
                    "interval": 1,
                    "message": f"To sign in, use a web browser to open the page "
                               f"{server.base}/devicelogin and enter the code ABCD-EFGH "
                               f"to authenticate."})
            self._send(404, {"error": "not_found"})
    return Handler
