"""Recording servers (and the TLS material they need) for one comparison."""
from __future__ import annotations

import importlib
import logging
import socket
import ssl
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from ..server import RecordingServer
from .config import ConfigError, ServerConfig

# aiosmtpd implements these itself; others come from tclsmtp.server_auth.
BUILTIN_MECHANISMS = {"PLAIN", "LOGIN"}


@dataclass
class TlsFiles:
    """A throw-away CA and a server certificate for localhost/127.0.0.1."""
    cafile: Path
    context: ssl.SSLContext


def make_tls(directory: Path) -> TlsFiles:
    """Write the test CA to directory/ca.pem; the context serves its certificate."""
    try:
        import trustme
    except ImportError:
        raise ConfigError("a TLS server needs the trustme package: "
                          "pip install trustme (or pip install 'tclsmtp[test]')") from None
    ca = trustme.CA()
    cert = ca.issue_cert("localhost", "127.0.0.1")
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    # tcl-tls as Debian ships it still offers TLS 1.0 when a script asks
    # for it (tls::init -tls1 1); let the handshake succeed the way a
    # permissive real server would.
    context.minimum_version = ssl.TLSVersion.MINIMUM_SUPPORTED
    cert.configure_cert(context)
    cafile = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    return TlsFiles(cafile=cafile, context=context)


# Mechanisms of tclsmtp.server_auth taking {user: password}, by name.
SERVER_AUTH_CLASSES = {"CRAM-MD5": "CramMd5Auth", "DIGEST-MD5": "DigestMd5Auth",
                       "SCRAM-SHA-1": "ScramSha1Auth", "SCRAM-SHA-256": "ScramSha256Auth"}


def _auth_handlers(mechanisms: list[str], credentials: dict[str, str]) -> list[Any]:
    """Handler objects with auth_MECH methods for the non-builtin mechanisms."""
    extra = [m for m in mechanisms if m not in BUILTIN_MECHANISMS]
    if not extra:
        return []
    unknown = [m for m in extra if m not in SERVER_AUTH_CLASSES]
    if unknown:
        raise ConfigError(f"auth: the recording server cannot offer {' '.join(unknown)} "
                          f"(it offers PLAIN, LOGIN, {', '.join(SERVER_AUTH_CLASSES)})")
    try:
        module = importlib.import_module("tclsmtp.server_auth")
    except ImportError as e:
        raise ConfigError(f"auth {' '.join(extra)}: tclsmtp.server_auth cannot be "
                          f"imported ({e})") from None
    return [getattr(module, SERVER_AUTH_CLASSES[m])(dict(credentials)) for m in extra]


def make_server(config: ServerConfig, tls: Optional[TlsFiles]) -> RecordingServer:
    """A RecordingServer (not started) set up as the config says."""
    # What a client sends wrongly shows in the comparison; aiosmtpd's own
    # warnings about it would only clutter the harness's output.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    if config.tls != "none" and tls is None:
        raise ConfigError("a TLS server needs TLS files")
    credentials = None
    handlers: list[Any] = []
    if config.auth is not None or config.user is not None:
        if config.user is None:
            raise ConfigError("auth: the server needs credentials (directive: user NAME PASSWORD)")
        credentials = {config.user[0]: config.user[1]}
        handlers = _auth_handlers(config.auth or sorted(BUILTIN_MECHANISMS), credentials)
    return RecordingServer(
        tls_context=tls.context if tls else None,
        implicit_tls=config.tls == "implicit",
        credentials=credentials,
        auth_handlers=handlers,
        auth_require_tls=config.auth_require_tls,
        auth_mechanisms=config.auth,
        refuse=dict(config.refuse),
        refuse_senders=dict(config.refuse_senders),
        data_reply=config.data_reply,
        greeting=config.greeting,
        size=config.size,
        ehlo=config.ehlo,
        data_delay=config.data_delay,
        pipelining=config.pipelining,
    )


class DeadPort:
    """A loopback port where nothing listens, held for the comparison.

    The socket is bound but never listens, so connections to it are refused
    and no other process can take the port meanwhile.
    """

    def __init__(self) -> None:
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._sock.bind(("127.0.0.1", 0))
        self.port: int = self._sock.getsockname()[1]

    def close(self) -> None:
        self._sock.close()
