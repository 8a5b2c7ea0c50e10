"""Helpers for the accounts tests: a Tcl send as an unchanged script makes it,
reading the delivery log."""
from __future__ import annotations

import json
import os
import ssl
import textwrap
import tkinter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

import pytest

import tclsmtp


@dataclass
class Certs:
    ca: Any
    cafile: Path
    server_context: ssl.SSLContext


def tcl_send(interp: Any, *, servers: str = "smtp.office365.com", ports: str = "587",
             username: str = "reports@example.com", password: str = "old-password",
             to: str = "bob@example.com", debug: bool = False,
             message_id: str = "<m1@example.com>", extra: str = "") -> tuple[int, str, str]:
    """An unchanged script's send: (catch code, result, errorCode)."""
    interp.eval("package require mime; package require smtp")
    script = f"""
set t [mime::initialize -canonical text/plain -string "the nightly report\\n"]
set rc [catch {{smtp::sendmessage $t -servers {{{servers}}} -ports {{{ports}}} \\
    -username {{{username}}} -password {{{password}}} -debug {int(debug)} \\
    -originator reports@example.com \\
    -header {{From reports@example.com}} -header {{To {to}}} \\
    -header {{Message-ID {message_id}}} {extra}}} result opts]
mime::finalize $t
list $rc $result [expr {{[dict exists $opts -errorcode] ? [dict get $opts -errorcode] : ""}}]
"""
    rc, result, errorcode = interp.tk.splitlist(interp.eval(script))
    return int(rc), str(result), str(errorcode)


def read_log(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
