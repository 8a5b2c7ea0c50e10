"""TLS for the smtp engine: Python's ssl, configured like tcl-tls would be.

A script's ``tls::init`` options (tcl-tls keeps them in ``::tls::defaults``;
our stand-in package does the same) arrive here as a flat option list.

Default, as tcllib with tcl-tls: encrypt, but accept any certificate (a
relay with a self-signed certificate keeps working). ``-require 1`` asks
for a certificate that chains to ``-cafile``/``-cadir`` or the system's CA
store. Strict mode (``tclsmtp.install(interp, strict_tls=True)`` or
TCLSMTP_STRICT_TLS=1) always requires a verified chain and a matching host
name. TLS 1.2 and 1.3 only, unless a script enables ``-tls1``/``-tls1.1``
explicitly. See docs/tls.md.
"""
from __future__ import annotations

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Sequence
    import ssl

from ..errors import ScriptError

_BOOL_TRUE = ("1", "true", "yes", "on")
_BOOL_FALSE = ("0", "false", "no", "off")

# tcl-tls's protocol switches and the ssl.TLSVersion names they map to
_VERSIONS = (("-tls1", "TLSv1"), ("-tls1.1", "TLSv1_1"), ("-tls1.2", "TLSv1_2"),
             ("-tls1.3", "TLSv1_3"))


def _tcl_bool(option: str, value: str) -> bool:
    """Tcl_GetBoolean: the words and any unique prefix of them, or a number."""
    word = value.strip().lower()
    if word:
        for w in _BOOL_TRUE:
            if w.startswith(word) and not any(f.startswith(word) for f in _BOOL_FALSE):
                return True
        for w in _BOOL_FALSE:
            if w.startswith(word) and not any(t.startswith(word) for t in _BOOL_TRUE):
                return False
        try:
            return float(word) != 0
        except ValueError:
            pass
    raise ScriptError(f'expected boolean value but got "{value}"', ("TCL", "VALUE", "NUMBER"))


# A plain class, not a dataclass: importing dataclasses costs a tenth of a
# short script's start-up.
class TlsSettings:
    """The ``tls::init`` options tclsmtp honours.

    Compared by value; the repr shows every field."""
    __slots__ = ("cafile", "cadir", "certfile", "keyfile", "require", "request", "servername",
                 "cipher", "versions")
    cafile: str
    cadir: str
    certfile: str
    keyfile: str
    require: bool
    request: bool
    servername: str
    cipher: str
    versions: dict[str, bool]

    def __init__(self, cafile: str = "", cadir: str = "", certfile: str = "", keyfile: str = "",
                 require: bool = False, request: bool = True, servername: str = "",
                 cipher: str = "", versions: Optional[dict[str, bool]] = None) -> None:
        self.cafile = cafile
        self.cadir = cadir
        self.certfile = certfile
        self.keyfile = keyfile
        self.require = require
        self.request = request
        self.servername = servername
        self.cipher = cipher
        self.versions = {} if versions is None else versions

    def key(self) -> tuple[object, ...]:
        """Every field, hashable (keepalive.py keys kept connections by it)."""
        return (self.cafile, self.cadir, self.certfile, self.keyfile, self.require,
                self.request, self.servername, self.cipher, tuple(sorted(self.versions.items())))

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TlsSettings):
            return NotImplemented
        return self.key() == other.key()

    def __repr__(self) -> str:
        return "TlsSettings(" + ", ".join(f"{name}={getattr(self, name)!r}"
                                          for name in TlsSettings.__slots__) + ")"

    @classmethod
    def from_options(cls, options: Sequence[str]) -> "TlsSettings":
        """From a ``tls::init`` option list (later options win, as in tcl-tls)."""
        s = cls()
        for name, value in zip(options[0::2], options[1::2]):
            if name == "-cafile":
                s.cafile = value
            elif name == "-cadir":
                s.cadir = value
            elif name in ("-certfile", "-cert"):
                s.certfile = value if name == "-certfile" else s.certfile
            elif name in ("-keyfile", "-key"):
                s.keyfile = value if name == "-keyfile" else s.keyfile
            elif name == "-require":
                s.require = _tcl_bool(name, value)
            elif name == "-request":
                s.request = _tcl_bool(name, value)
            elif name == "-servername":
                s.servername = value
            elif name == "-cipher":
                s.cipher = value
            elif name in dict(_VERSIONS) or name in ("-ssl2", "-ssl3"):
                s.versions[name] = _tcl_bool(name, value)
            # other tcl-tls options (-command, -password, -dhparams, ...) do
            # not change how a client verifies the server: ignored.
        return s

    def context(self, strict: bool) -> "ssl.SSLContext":
        """An SSLContext for a client connection."""
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        verify = strict or self.require
        ctx.check_hostname = strict
        ctx.verify_mode = ssl.CERT_REQUIRED if verify else ssl.CERT_NONE
        if verify:
            if self.cafile or self.cadir:
                try:
                    ctx.load_verify_locations(cafile=self.cafile or None,
                                              capath=self.cadir or None)
                except (OSError, ssl.SSLError) as e:
                    raise ScriptError(f"tls: cannot load CA certificates: {e}",
                                      ("TLS", "CAFILE")) from None
            else:
                ctx.load_default_certs(ssl.Purpose.SERVER_AUTH)
        if self.certfile:
            try:
                ctx.load_cert_chain(self.certfile, self.keyfile or None)
            except (OSError, ssl.SSLError) as e:
                raise ScriptError(f"tls: cannot load -certfile {self.certfile}: {e}",
                                  ("TLS", "CERTFILE")) from None
        versions = [(name, ssl.TLSVersion[attr]) for name, attr in _VERSIONS]
        enabled = [version for name, version in versions
                   if self.versions.get(name, version >= ssl.TLSVersion.TLSv1_2)]
        if not enabled:
            raise ScriptError("tls: every protocol version is disabled (-tls1.2 and -tls1.3 are off)",
                              ("TLS", "PROTOCOL"))
        ctx.minimum_version = min(enabled)
        ctx.maximum_version = max(enabled)
        # A range cannot say "1.0 and 1.3 but not 1.2": switch the versions
        # in between off one by one (OpenSSL then uses the enabled versions
        # below the first gap). The OP_NO_* flags are deprecated but are the
        # only way to express a gap.
        gaps = [version for _, version in versions
                if min(enabled) < version < max(enabled) and version not in enabled]
        if gaps:
            import warnings
            flags = {ssl.TLSVersion.TLSv1_1: ssl.OP_NO_TLSv1_1,
                     ssl.TLSVersion.TLSv1_2: ssl.OP_NO_TLSv1_2}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                for version in gaps:
                    ctx.options |= flags[version]
        if min(enabled) < ssl.TLSVersion.TLSv1_2:
            # OpenSSL's default security level refuses TLS 1.0/1.1 outright.
            ctx.set_ciphers("DEFAULT:@SECLEVEL=0")
        if self.cipher:
            try:
                ctx.set_ciphers(self.cipher)
            except ssl.SSLError as e:
                raise ScriptError(f"tls: bad -cipher {self.cipher}: {e}", ("TLS", "CIPHER")) from None
        return ctx

    def server_hostname(self, host: str) -> Optional[str]:
        """The name sent as SNI (and checked in strict mode)."""
        if self.servername:
            return self.servername
        import ipaddress
        try:
            ipaddress.ip_address(host)
            return host                    # checked against IP SANs; no SNI
        except ValueError:
            return host.rstrip(".") or None
