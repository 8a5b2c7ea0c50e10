"""OAuth 2.0 access tokens for an account: Microsoft identity platform (msal),
Google (google-auth), or any command that prints a token.

One TokenSource per account and user, kept for the life of the process:
the libraries keep each token until shortly before it expires (msal: five
minutes, google-auth: about four) and then fetch a new one, so a script
that sends twice an hour apart gets a fresh token without knowing.
msal's cache (with the refresh token of a device-code login) is also kept
in a file readable only by its owner, so a login survives the process.
"""
from __future__ import annotations

import json
import os
import re
import threading
from abc import ABC, abstractmethod
from pathlib import Path
from typing import Any, Callable, Optional

from .config import Account, AccountError
from .secrets import read_secret, run_command

MICROSOFT_AUTHORITY = "https://login.microsoftonline.com/"
MICROSOFT_APP_SCOPES = ["https://outlook.office365.com/.default"]     # SMTP.SendAsApp
MICROSOFT_USER_SCOPES = ["https://outlook.office.com/SMTP.Send"]      # delegated
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
GOOGLE_SCOPES = ["https://mail.google.com/"]


class TokenSource(ABC):
    def __init__(self, account: Account, username: str) -> None:
        self.account, self.username = account, username
        self.settings: dict[str, Any] = account.oauth or {}
        self.lock = threading.Lock()

    @property
    def what(self) -> str:
        return f"account {self.account.name}"

    @abstractmethod
    def token(self) -> str:
        """A valid access token (fetched or refreshed when needed)."""

    def secret(self, key: str) -> Optional[str]:
        ref = self.settings.get(key)
        if ref is None:
            return None
        return read_secret(ref, account=self.account.name, keyring_user=self.username)


# ---------------------------------------------------------------- command

class CommandTokens(TokenSource):
    """``token_command``: run for every login; helpers such as oama, mailctl
    or ``az account get-access-token`` keep and refresh tokens themselves."""

    def token(self) -> str:
        return run_command(self.settings["token_command"], what=f"{self.what}: oauth.token_command")


# ---------------------------------------------------------------- Microsoft

class MicrosoftTokens(TokenSource):
    """msal: client credentials (a secret or a certificate; the app needs
    the SMTP.SendAsApp permission), or a device-code login for a user
    mailbox (SMTP.Send), whose refresh token is kept in the cache file."""

    def __init__(self, account: Account, username: str) -> None:
        super().__init__(account, username)
        self.flow = self.settings.get("flow", "client_credentials")
        default = MICROSOFT_APP_SCOPES if self.flow == "client_credentials" else MICROSOFT_USER_SCOPES
        self.scopes = list(self.settings.get("scopes", default))
        self.cache_file = Path(self.settings.get("cache") or _data_dir() / "tokens"
                               / f"{account.name}.msal.json")
        self._app: Any = None
        self._cache: Any = None

    def app(self) -> Any:
        if self._app is not None:
            return self._app
        try:
            import msal
        except ImportError:
            raise AccountError(f"{self.what}: oauth provider 'microsoft' needs msal: "
                               f"pip install 'tclsmtp[oauth]'") from None
        cache = msal.SerializableTokenCache()
        try:
            cache.deserialize(self.cache_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            pass
        except (OSError, ValueError) as e:
            raise AccountError(f"{self.what}: cannot read the token cache {self.cache_file}: "
                               f"{e}") from None
        settings = self.settings
        kwargs: dict[str, Any] = {"token_cache": cache}
        if "authority" in settings:          # another cloud, or a test's server
            kwargs.update(authority=settings["authority"], validate_authority=False,
                          instance_discovery=False)
        else:
            kwargs["authority"] = MICROSOFT_AUTHORITY + settings["tenant"]
        kwargs["http_client"] = http_session(settings.get("cafile"), timeout=HTTP_TIMEOUT)
        try:
            if self.flow == "client_credentials":
                app = msal.ConfidentialClientApplication(
                    settings["client_id"], client_credential=self._credential(), **kwargs)
            else:
                app = msal.PublicClientApplication(settings["client_id"], **kwargs)
        except AccountError:
            raise
        except Exception as e:                # discovery: network, TLS, bad JSON
            raise AccountError(f"{self.what}: cannot reach the Microsoft identity platform "
                               f"({kwargs['authority']}): {_reason(e)}") from None
        self._app, self._cache = app, cache
        return app

    def _credential(self) -> Any:
        if "certificate" in self.settings:
            return _certificate_credential(self.settings["certificate"], self.what)
        return self.secret("client_secret")

    def token(self) -> str:
        with self.lock:
            app = self.app()
            try:
                if self.flow == "client_credentials":
                    result = app.acquire_token_for_client(scopes=self.scopes)
                else:
                    result = self._silent(app)
            except AccountError:
                raise
            except Exception as e:
                raise AccountError(f"{self.what}: getting a token from the Microsoft "
                                   f"identity platform failed: {_reason(e)}") from None
            self._save(required=False)
            return _access_token(result, self.what, "Microsoft")

    def _silent(self, app: Any) -> dict:
        accounts = app.get_accounts(username=self.username or None)
        if not accounts:
            raise AccountError(f"{self.what}: nobody has signed in for "
                               f"{self.username or 'this account'}: run "
                               f"`tclsmtp accounts login {self.account.name}`")
        result = app.acquire_token_silent(self.scopes, account=accounts[0])
        if not result:
            raise AccountError(f"{self.what}: the sign-in of {self.username} has expired: run "
                               f"`tclsmtp accounts login {self.account.name}`")
        return result

    def login(self, show: Callable[[str], None]) -> str:
        """The device-code flow: ``show`` gets the instructions (a URL and a
        code to enter there); returns the signed-in user's name."""
        if self.flow != "device_code":
            raise AccountError(f"{self.what}: login is for user mailboxes (flow 'device_code'); "
                               f"this account uses the app's own credentials")
        with self.lock:
            app = self.app()
            try:
                flow = app.initiate_device_flow(scopes=self.scopes)
                if "user_code" not in flow:
                    _access_token(flow, self.what, "Microsoft")     # raises with the reason
                show(flow["message"])
                result = app.acquire_token_by_device_flow(flow)
            except AccountError:
                raise
            except Exception as e:
                raise AccountError(f"{self.what}: device-code login failed: {_reason(e)}") from None
            _access_token(result, self.what, "Microsoft")
            self._save(required=True)
            claims = result.get("id_token_claims") or {}
            return str(claims.get("preferred_username") or self.username or "")

    def _save(self, required: bool) -> None:
        cache = self._cache
        if cache is None or not cache.has_state_changed:
            return
        try:
            write_private(self.cache_file, cache.serialize())
            cache.has_state_changed = False
        except OSError as e:
            if required:
                raise AccountError(f"{self.what}: cannot write the token cache "
                                   f"{self.cache_file}: {e.strerror or e}") from None


def _certificate_credential(path: str, what: str) -> dict:
    """msal's client_credential for a PEM file holding the private key and
    the certificate (its SHA-1 thumbprint names the key to Entra ID)."""
    try:
        text = Path(path).read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as e:
        raise AccountError(f"{what}: cannot read the certificate {path}: {e}") from None
    key = re.search(r"-----BEGIN (?:RSA |EC )?PRIVATE KEY-----.*?-----END (?:RSA |EC )?PRIVATE "
                    r"KEY-----", text, re.S)
    cert = re.search(r"-----BEGIN CERTIFICATE-----.*?-----END CERTIFICATE-----", text, re.S)
    if not key or not cert:
        raise AccountError(f"{what}: {path} must hold the private key and the certificate (PEM)")
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    certificate = x509.load_pem_x509_certificate(cert.group(0).encode())
    return {"private_key": key.group(0), "thumbprint": certificate.fingerprint(hashes.SHA1()).hex(),
            "public_certificate": cert.group(0)}


# ---------------------------------------------------------------- Google

class GoogleTokens(TokenSource):
    """google-auth: a service account with domain-wide delegation acting as
    the mailbox's user, or a stored refresh token of an OAuth client."""

    def __init__(self, account: Account, username: str) -> None:
        super().__init__(account, username)
        self._credentials: Any = None
        self._request: Any = None

    def _load(self) -> None:
        try:
            import google.auth.transport.requests
        except ImportError:
            raise AccountError(f"{self.what}: oauth provider 'google' needs google-auth: "
                               f"pip install 'tclsmtp[oauth]'") from None
        settings = self.settings
        scopes = list(settings.get("scopes", GOOGLE_SCOPES))
        self._request = google.auth.transport.requests.Request(
            http_session(settings.get("cafile")))
        if "service_account_file" in settings:
            from google.oauth2 import service_account
            try:
                with open(settings["service_account_file"], encoding="utf-8") as f:
                    info = json.load(f)
            except (OSError, ValueError) as e:
                raise AccountError(f"{self.what}: cannot read the service account key "
                                   f"{settings['service_account_file']}: {e}") from None
            if "token_uri" in settings:
                info["token_uri"] = settings["token_uri"]
            subject = settings.get("subject") or self.username
            try:
                self._credentials = service_account.Credentials.from_service_account_info(
                    info, scopes=scopes, subject=subject or None)
            except (ValueError, KeyError) as e:
                raise AccountError(f"{self.what}: bad service account key "
                                   f"{settings['service_account_file']}: {e}") from None
        else:
            from google.oauth2.credentials import Credentials
            self._credentials = Credentials(
                None, refresh_token=self.secret("refresh_token"),
                token_uri=settings.get("token_uri", GOOGLE_TOKEN_URI),
                client_id=settings["client_id"], client_secret=self.secret("client_secret"),
                scopes=scopes)

    def token(self) -> str:
        with self.lock:
            if self._credentials is None:
                self._load()
            creds = self._credentials
            if not creds.valid:
                try:
                    creds.refresh(self._request)
                except Exception as e:             # RefreshError, TransportError
                    raise AccountError(f"{self.what}: getting a token from Google failed: "
                                       f"{_reason(e)}") from None
            return str(creds.token)


# ---------------------------------------------------------------- sources

_PROVIDERS: dict[str, type[TokenSource]] = {
    "command": CommandTokens, "microsoft": MicrosoftTokens, "google": GoogleTokens}
_sources: dict[tuple[str, str, str, str], TokenSource] = {}
_sources_lock = threading.Lock()


def token_source(account: Account, username: str) -> TokenSource:
    """The account's token source for this user (one per process)."""
    assert account.oauth is not None
    key = (str(account.file), account.name, username,
           json.dumps(account.oauth, sort_keys=True, default=repr))
    with _sources_lock:
        source = _sources.get(key)
        if source is None:
            source = _PROVIDERS[account.oauth["provider"]](account, username)
            _sources[key] = source
        return source


def _access_token(result: Any, what: str, provider: str) -> str:
    if isinstance(result, dict) and result.get("access_token"):
        return str(result["access_token"])
    error = result.get("error", "no access token") if isinstance(result, dict) else "no answer"
    description = (result.get("error_description") or "") if isinstance(result, dict) else ""
    first = description.strip().splitlines()[0] if description.strip() else ""
    raise AccountError(f"{what}: {provider} refused to issue a token: {error}"
                       + (f": {first}" if first else ""))


def _reason(error: BaseException) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}".rstrip(": ")


def _data_dir() -> Path:
    import platformdirs
    return platformdirs.user_data_path("tclsmtp", appauthor=False)


HTTP_TIMEOUT = 60.0


def http_session(cafile: Optional[str], timeout: Optional[float] = None) -> Any:
    """A requests session verifying against ``cafile`` when given. (Passed
    with each request: requests lets $REQUESTS_CA_BUNDLE override a
    session's own ``verify``.)"""
    import functools
    import requests
    session = requests.Session()
    extra: dict[str, Any] = {}
    if cafile:
        extra["verify"] = cafile
    if timeout is not None:
        extra["timeout"] = timeout
    if extra:
        session.request = functools.partial(session.request, **extra)  # type: ignore[method-assign]
    return session


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (0600; its directory 0700)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        os.fchmod(f.fileno(), 0o600)
        f.write(text)
    os.replace(tmp, path)
