"""What a comparison needs: the script, its arguments and the server it talks to.

A script can describe its own needs in header comments (directives), so a
corpus needs no separate manifest and a user's script can carry its setup:

    # compat: args {server} {port} ops@example.com
    # compat: tls starttls
    # compat: auth PLAIN LOGIN
    # compat: user alice s3cret
    # compat: refuse nobody@example.com 550 5.1.1 no such user

Command-line options of `tclsmtp compat` set the same fields and win over
the directives.
"""
from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional


DIRECTIVE = "# compat:"

# Placeholders replaced in ARGs (and the stdin file's name): the recording
# server's address, a port where nothing listens, the TLS test CA, the
# script's own directory.
PLACEHOLDERS = ("{server}", "{port}", "{deadport}", "{cafile}", "{dir}")


class ConfigError(ValueError):
    """A directive or option that cannot be understood."""


@dataclass
class ServerConfig:
    """The recording SMTP server both runs talk to (one each, same setup)."""
    tls: str = "none"                       # none | starttls | implicit
    auth: Optional[list[str]] = None        # AUTH mechanisms offered (needs user)
    user: Optional[tuple[str, str]] = None  # credentials the server accepts
    auth_require_tls: bool = False
    size: Optional[int] = 33554432          # SIZE advertised; None: no SIZE
    refuse: dict[str, str] = field(default_factory=dict)          # RCPT refusals
    refuse_senders: dict[str, str] = field(default_factory=dict)  # MAIL refusals
    data_reply: str = "250 OK"
    greeting: Optional[str] = None          # e.g. "421 busy": say it, hang up
    ehlo: bool = True                       # False: an RFC 821 (HELO only) server
    data_delay: float = 0.0                 # seconds before the reply to the final dot
    pipelining: bool = False                # offer PIPELINING (RFC 2920) after EHLO


@dataclass
class ScriptConfig:
    """One comparison: a script, how to run it, and what to expect."""
    script: Path
    args: list[str] = field(default_factory=list)
    stdin: Optional[Path] = None
    stdin_data: Optional[bytes] = None      # wins over stdin (a file) when set
    server: ServerConfig = field(default_factory=ServerConfig)
    redirect: Optional[bool] = None         # None: redirect unless ARGs name the server
    timeout: float = 60.0
    env: dict[str, str] = field(default_factory=dict)
    difference: Optional[str] = None        # id of a documented deliberate difference
    ignore_debug: bool = False              # leave tcllib's -debug lines out of the verdict

    @property
    def uses_placeholders(self) -> bool:
        return any(p in a for a in self.args for p in ("{server}", "{port}"))

    @property
    def redirects(self) -> bool:
        """Whether every send is redirected to the recording server."""
        return (not self.uses_placeholders) if self.redirect is None else self.redirect

    @property
    def expected_diff_path(self) -> Path:
        """Where the expected diff of a documented difference is kept."""
        return self.script.with_name(self.script.name + ".expected.diff")


def _reply(words: list[str], what: str) -> str:
    reply = " ".join(words)
    if len(reply) < 3 or not reply[:3].isdigit():
        raise ConfigError(f"{what}: expected an SMTP reply such as '550 5.1.1 no such user', "
                          f"got {reply!r}")
    return reply


def _flag(value: str, what: str) -> bool:
    v = value.lower()
    if v in ("1", "yes", "true", "on"):
        return True
    if v in ("0", "no", "false", "off"):
        return False
    raise ConfigError(f"{what}: expected yes or no, got {value!r}")


def apply_directive(config: ScriptConfig, key: str, words: list[str], base: Path) -> None:
    """Set one field from a directive (or an equivalent command-line option)."""
    s = config.server
    one = words[0] if words else ""
    if key == "args":
        config.args = list(words)
    elif key == "stdin":
        config.stdin = (base / one) if one else None
    elif key == "tls":
        if one not in ("none", "starttls", "implicit"):
            raise ConfigError(f"tls: expected none, starttls or implicit, got {one!r}")
        s.tls = one
    elif key == "auth":
        s.auth = [w.upper() for w in words]
    elif key == "auth-require-tls":
        s.auth_require_tls = _flag(one or "yes", key)
    elif key == "user":
        if len(words) != 2:
            raise ConfigError("user: expected NAME PASSWORD")
        s.user = (words[0], words[1])
    elif key == "size":
        if one == "none":
            s.size = None
        elif one.isdigit():
            s.size = int(one)
        else:
            raise ConfigError(f"size: expected a number or none, got {one!r}")
    elif key == "refuse":
        if len(words) < 2:
            raise ConfigError("refuse: expected ADDRESS REPLY")
        s.refuse[words[0]] = _reply(words[1:], key)
    elif key == "refuse-sender":
        if len(words) < 2:
            raise ConfigError("refuse-sender: expected ADDRESS REPLY")
        s.refuse_senders[words[0]] = _reply(words[1:], key)
    elif key == "data-reply":
        s.data_reply = _reply(words, key)
    elif key == "greeting":
        s.greeting = _reply(words, key)
    elif key == "data-delay":
        try:
            s.data_delay = float(one)
        except ValueError:
            raise ConfigError(f"data-delay: expected seconds, got {one!r}") from None
    elif key == "ehlo":
        s.ehlo = _flag(one, key)
    elif key == "pipelining":
        s.pipelining = _flag(one or "yes", key)
    elif key == "redirect":
        config.redirect = _flag(one, key)
    elif key == "timeout":
        try:
            config.timeout = float(one)
        except ValueError:
            raise ConfigError(f"timeout: expected seconds, got {one!r}") from None
    elif key == "env":
        for w in words:
            name, sep, value = w.partition("=")
            if not sep:
                raise ConfigError(f"env: expected NAME=VALUE, got {w!r}")
            config.env[name] = value
    elif key == "difference":
        config.difference = one or None
    elif key == "ignore-debug":
        config.ignore_debug = _flag(one or "yes", key)
    elif key in ("note", "needs"):
        pass                              # free text for readers
    else:
        raise ConfigError(f"unknown directive {key!r}")


def read_directives(script: Path) -> ScriptConfig:
    """The ScriptConfig described by a script's `# compat:` comment lines."""
    config = ScriptConfig(script=script)
    try:
        text = script.read_text(encoding="utf-8", errors="replace")
    except OSError as e:
        raise ConfigError(f"cannot read {script}: {e.strerror}") from None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if not stripped.startswith(DIRECTIVE):
            continue
        body = stripped[len(DIRECTIVE):].strip()
        try:
            words = shlex.split(body)
        except ValueError as e:
            raise ConfigError(f"{script}:{number}: {e}") from None
        if not words:
            continue
        try:
            apply_directive(config, words[0].lower(), words[1:], script.parent)
        except ConfigError as e:
            raise ConfigError(f"{script}:{number}: {e}") from None
    return config
