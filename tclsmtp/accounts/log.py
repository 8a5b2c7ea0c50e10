"""The delivery log: one JSON line per message an account sends (or fails
to send), so an operator can answer "did last night's report go out?".

Each line holds the time, account, server and port, TLS version, AUTH
mechanism, envelope sender, each recipient with its RCPT reply code, the
Message-ID, the size in bytes, the final reply (or the error) and the
duration. Never a secret and never the body.
"""
from __future__ import annotations

import datetime
import json
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

from ..errors import ScriptError

if TYPE_CHECKING:
    from typing import Sequence

    from ..smtp.client import Conversation, Delivery

_write_lock = threading.Lock()


class DeliveryLog:
    """The smtp engine's observer for one send (``Plan.observer``)."""

    def __init__(self, path: str, account: str, message_id: str) -> None:
        self.path = path
        self.account = account
        self.message_id = message_id
        self.started = time.time()
        self.clock = time.monotonic()

    def record(self, talk: "Conversation", error: Optional[BaseException]) -> None:
        duration = round(time.monotonic() - self.clock, 3)
        base = {
            "time": datetime.datetime.fromtimestamp(self.started, datetime.timezone.utc)
                    .isoformat(timespec="seconds").replace("+00:00", "Z"),
            "account": self.account,
            "server": talk.server or None,
            "port": talk.port if talk.server else None,
        }
        deliveries: Sequence[Optional[Delivery]] = talk.deliveries or [None]
        for number, delivery in enumerate(deliveries):
            txn = delivery.transaction if delivery is not None else talk.plan.transaction
            entry: dict[str, Any] = dict(base)
            entry["tls"] = delivery.tls_version if delivery is not None else None
            entry["auth"] = talk.auth_mechanism
            entry["sender"] = txn.originator
            codes = dict(delivery.replies) if delivery is not None else {}
            entry["recipients"] = [{"address": r, "code": codes.get(r)} for r in txn.recipients]
            entry["bcc"] = number > 0
            entry["message_id"] = self.message_id or None
            entry["size"] = delivery.size if delivery is not None and delivery.final else None
            final = delivery.final if delivery is not None else None
            entry["reply"] = ({"code": final.code, "text": final.text}
                              if final is not None else None)
            sent = final is not None and final.code in (250, 251) and bool(delivery
                                                                          and delivery.size)
            entry["status"] = "sent" if sent else "failed"
            if not sent:
                entry["error"] = _error_text(error, final)
            entry["duration"] = duration
            self._write(entry)

    def _write(self, entry: dict[str, Any]) -> None:
        line = json.dumps(entry, ensure_ascii=False) + "\n"
        try:
            path = Path(self.path)
            path.parent.mkdir(parents=True, exist_ok=True)
            with _write_lock:
                fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
                with os.fdopen(fd, "a", encoding="utf-8") as f:
                    f.write(line)
        except OSError as e:
            # The mail went (or not) whatever the log says: warn, do not fail.
            print(f"tclsmtp: cannot write the delivery log {self.path}: {e.strerror or e}",
                  file=sys.stderr, flush=True)


def _error_text(error: Optional[BaseException], final: Any) -> Optional[str]:
    if isinstance(error, ScriptError):
        return error.message
    if error is not None:
        return f"{type(error).__name__}: {error}"
    if final is not None:
        return f"{final.code} {final.text}"
    return "no recipient was accepted"
