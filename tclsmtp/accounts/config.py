"""The accounts file: where it is, what it may say, and which account a send
uses.

Where the file is: where.py. No file: no accounts, and every send behaves
exactly as without tclsmtp's accounts.

Every problem is an AccountError whose message names the file, the line
and the key (tomllib reports lines only for syntax errors, so the line of a
key is found by scanning the text).
"""
from __future__ import annotations

import os
import re
import stat
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Optional, Union

from .where import ENV_CONFIG, SYSTEM_CONFIG, AccountError, config_path  # noqa: F401

# The smtp engine's SASL mechanisms (tclsmtp/smtp/sasl.py; this layer sits
# below the engine, and a test keeps the two lists equal).
OAUTH_MECHANISMS = ("OAUTHBEARER", "XOAUTH2")
SASL_MECHANISMS = ("SCRAM-SHA-256", "SCRAM-SHA-1", "NTLM", "DIGEST-MD5", "CRAM-MD5", "LOGIN",
                   "PLAIN", "ANONYMOUS") + OAUTH_MECHANISMS


# ---------------------------------------------------------------- what

@dataclass(frozen=True)
class Secret:
    """Where a secret comes from: ``literal`` (in the file), ``command``
    (its output, as msmtp's passwordeval), ``env`` (a variable) or
    ``keyring`` (a service name in the OS keyring). ``key``: the key that
    said so, for messages. The value is read only when needed."""
    kind: str
    value: str
    key: str

    def __repr__(self) -> str:              # never show a literal secret
        shown = "***" if self.kind == "literal" else repr(self.value)
        return f"Secret({self.kind}, {shown})"

    def describe(self) -> str:
        if self.kind == "literal":
            return "in the accounts file"
        if self.kind == "command":
            return f"from the command {self.value!r}"
        if self.kind == "env":
            return f"from ${self.value}"
        return f"from the keyring (service {self.value!r})"


@dataclass
class Account:
    name: str
    file: Path
    match: list[tuple[str, Optional[int]]] = field(default_factory=list)
    match_username: list[str] = field(default_factory=list)
    host: Optional[str] = None
    port: Optional[int] = None
    tls: Optional[str] = None               # "starttls", "implicit", "none"
    cafile: Optional[str] = None
    strict_tls: Optional[bool] = None
    username: Optional[str] = None
    password: Optional[Secret] = None
    mechanisms: Optional[tuple[str, ...]] = None
    oauth: Optional[dict[str, Any]] = None  # provider settings; secrets as Secret
    log: Optional[str] = None
    keepalive: Optional[float] = None       # seconds to keep the connection (connection reuse)

    @property
    def label(self) -> str:
        return f"account {self.name} ({self.file})"

    def matches(self, server: str, port: Optional[int], username: str) -> Optional[int]:
        """How well this account matches a server the script names: None for
        not at all, else a score (a port or user name named counts)."""
        best: Optional[int] = None
        for host, want_port in self.match:
            if host.lower() != server.lower():
                continue
            if want_port is not None and want_port != port:
                continue
            score = 1 if want_port is not None else 0
            best = score if best is None else max(best, score)
        if best is None:
            return None
        if self.match_username:
            if username not in self.match_username:
                return None
            best += 2
        return best

    def connect_host(self) -> Optional[str]:
        """Where to connect when the account is chosen by name."""
        if self.host:
            return self.host
        return self.match[0][0] if self.match else None


@dataclass
class Config:
    file: Path
    accounts: dict[str, Account]

    def find(self, server: str, port: Optional[int], username: str) -> Optional[Account]:
        """The account for a server the script names: the best match, the
        first in the file among equals."""
        best: Optional[tuple[int, Account]] = None
        for account in self.accounts.values():
            score = account.matches(server, port, username)
            if score is not None and (best is None or score > best[0]):
                best = (score, account)
        return None if best is None else best[1]

    def get(self, name: str) -> Account:
        try:
            return self.accounts[name]
        except KeyError:
            known = ", ".join(self.accounts) or "none"
            raise AccountError(f"{self.file}: no account {name!r} (accounts: {known})") from None


# ---------------------------------------------------------------- reading

_cache: dict[Path, tuple[tuple[int, int], Config]] = {}
_cache_lock = threading.Lock()


def load_config(path: Union[str, os.PathLike]) -> Config:
    """Read and check an accounts file (cached while it is unchanged)."""
    path = Path(path)
    try:
        st = path.stat()
        with open(path, "rb") as f:
            data = f.read()
    except OSError as e:
        raise AccountError(f"{path}: cannot read the accounts file: {e.strerror or e}") from None
    key = (st.st_mtime_ns, st.st_size)
    with _cache_lock:
        cached = _cache.get(path)
        if cached is not None and cached[0] == key:
            return cached[1]
    config = parse_config(data, path, mode=st.st_mode)
    with _cache_lock:
        _cache[path] = (key, config)
    return config


def parse_config(data: bytes, path: Path, mode: Optional[int] = None) -> Config:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise AccountError(f"{path}: not UTF-8 text (byte {e.start})") from None
    # (imported here: most sends have no accounts file to parse)
    if sys.version_info >= (3, 11):
        import tomllib
    else:                                    # pragma: no cover - Python < 3.11
        import tomli as tomllib
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise AccountError(f"{path}: {e}") from None
    return _Reader(path, text, mode).read(doc)


_TLS = ("starttls", "implicit", "none")
_SECRET_SUFFIXES = ("", "_command", "_env", "_keyring")

_ACCOUNT_KEYS = {"match", "match_username", "host", "port", "tls", "cafile", "strict_tls",
                 "username", "mechanisms", "oauth", "log", "keepalive",
                 *(f"password{s}" for s in _SECRET_SUFFIXES)}
_DEFAULT_KEYS = _ACCOUNT_KEYS - {"match", "match_username", "host", "port", "username",
                                 "oauth", *(f"password{s}" for s in _SECRET_SUFFIXES)}

_PROVIDERS = ("microsoft", "google", "command")
_OAUTH_KEYS = {
    "microsoft": {"provider", "tenant", "client_id", "certificate", "flow", "cache",
                  "authority", "scopes", "cafile",
                  *(f"client_secret{s}" for s in _SECRET_SUFFIXES)},
    "google": {"provider", "client_id", "service_account_file", "subject", "token_uri",
               "scopes", "cafile",
               *(f"client_secret{s}" for s in _SECRET_SUFFIXES),
               *(f"refresh_token{s}" for s in _SECRET_SUFFIXES)},
    "command": {"provider", "token_command"},
}
_FLOWS = ("client_credentials", "device_code")


class _Reader:
    def __init__(self, path: Path, text: str, mode: Optional[int]) -> None:
        self.path, self.text, self.mode = path, text, mode
        self.literal_secrets: list[tuple[str, ...]] = []

    # -- errors with the file, line and key

    def error(self, keypath: tuple[str, ...], message: str) -> AccountError:
        line = _line_of(self.text, keypath)
        where = f"{self.path}:{line}" if line else str(self.path)
        return AccountError(f"{where}: {_dotted(keypath)}: {message}")

    def read(self, doc: dict[str, Any]) -> Config:
        for key in doc:
            if key not in ("accounts", "defaults"):
                raise self.error((key,), 'unknown key (the file has [accounts.NAME] tables '
                                         'and an optional [defaults] table)')
        defaults = doc.get("defaults", {})
        if not isinstance(defaults, dict):
            raise self.error(("defaults",), "must be a table")
        for key in defaults:
            if key not in _DEFAULT_KEYS:
                raise self.error(("defaults", key), "unknown key for [defaults] (it may set: "
                                 + ", ".join(sorted(_DEFAULT_KEYS)) + ")")
        tables = doc.get("accounts", {})
        if not isinstance(tables, dict):
            raise self.error(("accounts",), "must be a table of [accounts.NAME] tables")
        accounts: dict[str, Account] = {}
        for name, table in tables.items():
            if not isinstance(table, dict):
                raise self.error(("accounts", name), "must be a table ([accounts.NAME])")
            merged = {**{k: v for k, v in defaults.items()}, **table}
            accounts[name] = self.account(name, merged, table)
        self.check_permissions()
        return Config(self.path, accounts)

    def check_permissions(self) -> None:
        if not self.literal_secrets or self.mode is None or os.name != "posix":
            return
        if self.mode & (stat.S_IRWXG | stat.S_IRWXO):
            keypath = self.literal_secrets[0]
            raise AccountError(
                f"{self.path}: holds a secret ({_dotted(keypath)}, line "
                f"{_line_of(self.text, keypath) or '?'}) and others can read it "
                f"(mode {stat.S_IMODE(self.mode):04o}): run chmod 600 {self.path}, "
                f"or use password_command, password_env or password_keyring")

    # -- one account

    def account(self, name: str, data: dict[str, Any], own: dict[str, Any]) -> Account:
        at = ("accounts", name)
        # a key from [defaults] is reported there
        where = lambda k: at + (k,) if k in own else ("defaults", k)   # noqa: E731
        for key in data:
            if key not in _ACCOUNT_KEYS:
                raise self.error(where(key), "unknown key (an account may set: "
                                 + ", ".join(sorted(_ACCOUNT_KEYS)) + ")")
        acc = Account(name=name, file=self.path)
        if "match" in data:
            for entry in self.strings(where("match"), data["match"]):
                acc.match.append(self.server(where("match"), entry))
        if "match_username" in data:
            acc.match_username = self.strings(where("match_username"), data["match_username"])
        if "host" in data:
            acc.host = self.string(where("host"), data["host"])
        if "port" in data:
            port = data["port"]
            if not isinstance(port, int) or isinstance(port, bool) or not 0 < port < 65536:
                raise self.error(where("port"), f"must be a port number 1-65535, not {port!r}")
            acc.port = port
        if "tls" in data:
            tls = data["tls"]
            if tls not in _TLS:
                raise self.error(where("tls"), f"must be one of {', '.join(map(repr, _TLS))}, "
                                               f"not {tls!r}")
            acc.tls = tls
        if "cafile" in data:
            acc.cafile = self.file_path(where("cafile"), data["cafile"])
        if "strict_tls" in data:
            acc.strict_tls = self.boolean(where("strict_tls"), data["strict_tls"])
        if "username" in data:
            acc.username = self.string(where("username"), data["username"])
        acc.password = self.secret(at, own, "password", where)
        if "mechanisms" in data:
            acc.mechanisms = self.mechanisms(where("mechanisms"), data["mechanisms"])
        if "oauth" in data:
            acc.oauth = self.oauth(where("oauth"), data["oauth"])
        if "log" in data:
            acc.log = self.file_path(where("log"), data["log"])
        if "keepalive" in data:
            value = data["keepalive"]
            if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
                raise self.error(where("keepalive"), f"must be a number of seconds (0: off), "
                                                     f"not {value!r}")
            acc.keepalive = float(value)
        if acc.oauth is not None and acc.password is not None:
            raise self.error(at + ("oauth",), "an account logs in with oauth or with a "
                                              "password, not both")
        if acc.oauth is not None and acc.mechanisms:
            if not any(m in OAUTH_MECHANISMS for m in acc.mechanisms):
                raise self.error(where("mechanisms"), "with oauth, name XOAUTH2 or OAUTHBEARER")
        return acc

    def secret(self, at: tuple[str, ...], data: dict[str, Any], base: str,
               where: Any = None) -> Optional[Secret]:
        where = where or (lambda k: at + (k,))
        given = [base + s for s in _SECRET_SUFFIXES if base + s in data]
        if not given:
            return None
        if len(given) > 1:
            given.sort(key=lambda k: _line_of(self.text, where(k)) or 0)
            raise self.error(where(given[1]), f"give only one of {', '.join(given)}")
        key = given[0]
        value = self.string(where(key), data[key])
        kind = key[len(base) + 1:] if key != base else "literal"
        if kind == "literal":
            self.literal_secrets.append(where(key))
        elif value == "":
            raise self.error(where(key), "must not be empty")
        return Secret(kind, value, _dotted(where(key)))

    def oauth(self, at: tuple[str, ...], data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.error(at, "must be a table, e.g. oauth = { provider = \"microsoft\", ... }")
        provider = data.get("provider")
        if provider not in _PROVIDERS:
            raise self.error(at + ("provider",), f"must be one of "
                             f"{', '.join(map(repr, _PROVIDERS))}, not {provider!r}")
        allowed = _OAUTH_KEYS[provider]
        for key in data:
            if key not in allowed:
                raise self.error(at + (key,), f"unknown key for provider {provider!r} "
                                 f"(it takes: {', '.join(sorted(allowed))})")
        out: dict[str, Any] = {"provider": provider}
        for key in ("tenant", "client_id", "authority", "subject", "token_uri",
                    "token_command"):
            if key in data:
                out[key] = self.string(at + (key,), data[key])
        for key in ("certificate", "cache", "service_account_file", "cafile"):
            if key in data:
                out[key] = self.file_path(at + (key,), data[key])
        if "scopes" in data:
            out["scopes"] = self.strings(at + ("scopes",), data["scopes"])
        if "flow" in data:
            if data["flow"] not in _FLOWS:
                raise self.error(at + ("flow",), f"must be one of {', '.join(map(repr, _FLOWS))}")
            out["flow"] = data["flow"]
        for base in ("client_secret", "refresh_token"):
            secret = self.secret(at, data, base)
            if secret is not None:
                out[base] = secret

        def need(key: str, why: str) -> None:
            if key not in out:
                raise self.error(at, f"provider {provider!r} needs {key} ({why})")
        if provider == "command":
            need("token_command", "a command that prints an access token")
        elif provider == "microsoft":
            need("client_id", "the app registration's application (client) ID")
            if "tenant" not in out and "authority" not in out:
                need("tenant", "the directory (tenant) ID or domain")
            flow = out.setdefault(
                "flow", "client_credentials" if ("client_secret" in out or "certificate" in out)
                else "device_code")
            if flow == "client_credentials" and not ("client_secret" in out
                                                     or "certificate" in out):
                raise self.error(at, "flow 'client_credentials' needs client_secret "
                                     "(or client_secret_command, ...) or certificate")
            if "client_secret" in out and "certificate" in out:
                raise self.error(at, "give client_secret or certificate, not both")
        elif provider == "google":
            if "service_account_file" in out:
                if "refresh_token" in out:
                    raise self.error(at, "give service_account_file or refresh_token, not both")
            else:
                if "refresh_token" not in out:
                    raise self.error(at, "provider 'google' needs service_account_file "
                                         "or refresh_token (or refresh_token_command, ...)")
                need("client_id", "the OAuth client that obtained the refresh token")
                need("client_secret", "the OAuth client's secret "
                                      "(or client_secret_command, ...)")
        return out

    # -- values

    def string(self, at: tuple[str, ...], value: Any) -> str:
        if not isinstance(value, str):
            raise self.error(at, f"must be a string, not {_toml_type(value)}")
        if any(c in value for c in "\r\n\0"):
            raise self.error(at, "must not contain line breaks or NUL")
        return value

    def strings(self, at: tuple[str, ...], value: Any) -> list[str]:
        items = value if isinstance(value, list) else [value]
        out = [self.string(at, v) for v in items]
        if not out:
            raise self.error(at, "must not be empty")
        return out

    def boolean(self, at: tuple[str, ...], value: Any) -> bool:
        if not isinstance(value, bool):
            raise self.error(at, f"must be true or false, not {value!r}")
        return value

    def file_path(self, at: tuple[str, ...], value: Any) -> str:
        text = self.string(at, value)
        path = Path(text).expanduser()
        if not path.is_absolute():
            path = self.path.parent / path      # relative to the accounts file
        return str(path)

    def server(self, at: tuple[str, ...], entry: str) -> tuple[str, Optional[int]]:
        m = re.fullmatch(r"\[?([^\[\]\s]+?)\]?(?::(\d+))?", entry)
        if not m or (":" in m.group(1) and not entry.startswith("[")
                     and m.group(2) is not None):
            raise self.error(at, f"{entry!r} is not HOST or HOST:PORT")
        host, port = m.group(1), m.group(2)
        if port is not None and not 0 < int(port) < 65536:
            raise self.error(at, f"{entry!r}: bad port")
        return host, int(port) if port is not None else None

    def mechanisms(self, at: tuple[str, ...], value: Any) -> tuple[str, ...]:
        names = [n.upper() for item in self.strings(at, value)
                 for n in item.replace(",", " ").split()]
        for name in names:
            if name not in SASL_MECHANISMS:
                raise self.error(at, f"unknown SASL mechanism {name!r}: must be one of "
                                     + ", ".join(SASL_MECHANISMS))
        if not names:
            raise self.error(at, "must not be empty")
        return tuple(dict.fromkeys(names))


def _toml_type(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a float"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


def _dotted(keypath: tuple[str, ...]) -> str:
    return ".".join(k if re.fullmatch(r"[A-Za-z0-9_-]+", k) else f'"{k}"' for k in keypath)


# ---------------------------------------------------------------- line numbers

# (patterns, compiled by re's cache when a message needs a line number)
_HEADER = r"^\s*\[\s*([^\[\]]+?)\s*\]\s*(#.*)?$"
_KEYLINE = (r"^\s*((?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*')"
            r"(?:\s*\.\s*(?:[A-Za-z0-9_-]+|\"[^\"]*\"|'[^']*'))*)\s*=")


def _split_key(text: str) -> tuple[str, ...]:
    parts = re.findall(r"\"([^\"]*)\"|'([^']*)'|([A-Za-z0-9_-]+)", text)
    return tuple(a or b or c for a, b, c in parts)


def _line_of(text: str, keypath: tuple[str, ...]) -> Optional[int]:
    """The 1-based line where ``keypath`` is set (or its closest enclosing
    table is), found by reading the file as TOML lays it out."""
    header: tuple[str, ...] = ()
    best: tuple[int, int] = (0, 0)            # (matched length, line)
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(_HEADER, line)
        if m and not line.lstrip().startswith("[["):
            header = _split_key(m.group(1))
            full: tuple[str, ...] = header
            rest = ""
        else:
            k = re.match(_KEYLINE, line)
            if not k:
                continue
            full = header + _split_key(k.group(1))
            rest = line[k.end():]
        if full[:len(keypath)] == keypath:       # the key, or a table inside it
            return number
        if keypath[:len(full)] == full and len(full) > best[0]:
            best = (len(full), number)
            # an inline table on this line: oauth = { provider = "x", ... }
            if rest and len(keypath) == len(full) + 1 and re.search(
                    r"(?<![\w-])" + re.escape(keypath[-1]) + r"\s*=", rest):
                return number
    return best[1] or None
