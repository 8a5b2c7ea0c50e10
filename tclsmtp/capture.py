"""Capture mode: an embedded SMTP server on loopback receives every send.

For each delivered message it prints the envelope and the message as
received, and can save it as an .eml file (with the envelope beside it as
JSON). Nothing leaves the machine.
"""
from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Optional, TextIO

from .server import Delivery, RecordingServer


class Capture:
    def __init__(self, out: TextIO, directory: Optional[str] = None) -> None:
        self.out = out
        self.directory = Path(directory) if directory else None
        self.count = 0
        self._lock = threading.Lock()
        self.server = RecordingServer(on_delivery=self._delivered)

    @property
    def route(self) -> tuple[str, int]:
        return (self.server.host, self.server.port)

    def start(self) -> "Capture":
        if self.directory is not None:
            self.directory.mkdir(parents=True, exist_ok=True)
        self.server.start()
        return self

    def stop(self) -> None:
        self.server.stop()

    def _delivered(self, delivery: Delivery) -> None:
        with self._lock:
            self.count += 1
            number = self.count
            text = delivery.data.decode("utf-8", "replace").replace("\r\n", "\n")
            lines = [
                f"==== tclsmtp capture: message {number} ====",
                f"MAIL FROM: <{delivery.mail_from}>",
                *(f"RCPT TO: <{r}>" for r in delivery.rcpt_tos),
                "---- message as received ----",
                text if text.endswith("\n") else text + "\n",
            ]
            if self.directory is not None:
                eml = self.directory / f"message-{number:03d}.eml"
                eml.write_bytes(delivery.data)
                eml.with_suffix(".json").write_text(json.dumps(
                    {"mail_from": delivery.mail_from, "rcpt_tos": delivery.rcpt_tos,
                     "mail_options": delivery.mail_options}, indent=2) + "\n")
                lines.append(f"---- saved as {eml} ----\n")
            self.out.write("\n".join(lines))
            self.out.flush()
