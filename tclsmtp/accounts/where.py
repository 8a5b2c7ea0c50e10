"""Where the accounts file is, and AccountError: all a send loads when there
is no accounts file (the reader, tomllib and platformdirs only when there is
one).

Lookup: ``install(interp, config=PATH)`` or the Python API's ``config=``,
else ``$TCLSMTP_CONFIG``, else ``config.toml`` in the user's config
directory (platformdirs), else ``/etc/tclsmtp/config.toml``.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional, Union

ENV_CONFIG = "TCLSMTP_CONFIG"
SYSTEM_CONFIG = Path("/etc/tclsmtp/config.toml")
_SYSTEM_CONFIG_TEXT = str(SYSTEM_CONFIG)


class AccountError(Exception):
    """A problem with the accounts file or with getting an account's secret;
    the message is complete (file, line, key) and never holds a secret."""


def config_path(explicit: Union[str, os.PathLike, None] = None) -> Optional[Path]:
    """The accounts file to read, or None when there is none. A file named
    explicitly or by $TCLSMTP_CONFIG must exist."""
    named, origin = explicit, "config="
    if named is None and os.environ.get(ENV_CONFIG, ""):
        named, origin = os.environ[ENV_CONFIG], f"${ENV_CONFIG}"
    if named is not None:
        path = Path(named).expanduser()
        if not path.is_file():
            raise AccountError(f"{path}: no such accounts file (named by {origin})")
        return path
    user = os.path.join(user_config_dir(), "config.toml")
    if _is_file(user):
        return Path(user)
    if _is_file(_SYSTEM_CONFIG_TEXT):
        return SYSTEM_CONFIG
    return None


def _is_file(path: str) -> bool:
    """os.path.isfile, quicker for the usual answer, no such file: asked
    twice a send (access() says so without the exception stat's costs;
    pathlib's is_file costs more than a send's set-up)."""
    return os.access(path, os.F_OK) and os.path.isfile(path)


# Linux, not Android: platformdirs' answer follows the XDG rule below.
_XDG = sys.platform.startswith("linux") and not hasattr(sys, "getandroidapilevel")


def user_config_dir() -> str:
    """platformdirs' user config directory for tclsmtp. Asked on every send,
    so the answer is kept for the variables it depends on; on Linux
    platformdirs is not even loaded (it takes longer than the rest of a
    send's set-up): its rule is followed for the usual environment, an
    absolute $XDG_CONFIG_HOME, else an absolute $HOME (a test compares)."""
    environ = os.environ
    key = (environ.get("XDG_CONFIG_HOME", ""), environ.get("HOME", ""),
           environ.get("APPDATA", ""))
    path = _USER_CONFIG_DIRS.get(key)
    if path is None:
        path = _USER_CONFIG_DIRS[key] = _find_user_config_dir(key[0], key[1])
    return path


def _find_user_config_dir(xdg: str, home: str) -> str:
    if _XDG:
        if os.path.isabs(xdg):
            return os.path.join(xdg, "tclsmtp")
        if os.path.isabs(home):
            return os.path.join(os.path.expanduser("~/.config"), "tclsmtp")
    import platformdirs                      # a core dependency; loaded only here
    return str(platformdirs.user_config_path("tclsmtp", appauthor=False))


_USER_CONFIG_DIRS: dict[tuple[Optional[str], ...], str] = {}
