"""tcllib's ``mime::uniqueID``: ``<pid.seconds.counter@hostname>``.

The counter is per interpreter (tcllib's ``mime(cid)``) and is shared by
every caller: ``mime::initialize`` takes one for each Content-ID it adds,
smtp one for each Message-ID, so the numbers interleave as with tcllib.
"""
from __future__ import annotations

import socket
import time

from ..session import Session

_COUNTER = "mime.cid"


def unique_id(session: Session) -> str:
    """The next unique id of this interpreter, e.g. ``<2677.1795877646.1@vm>``."""
    count = session.extras.get(_COUNTER, 0) + 1
    session.extras[_COUNTER] = count
    return f"<{session.pid}.{int(time.time())}.{count}@{_hostname()}>"


def _hostname() -> str:
    """[info hostname]: Tcl asks once per process and keeps the answer."""
    global _HOSTNAME
    if _HOSTNAME is None:
        _HOSTNAME = socket.gethostname()
    return _HOSTNAME


_HOSTNAME: "str | None" = None
