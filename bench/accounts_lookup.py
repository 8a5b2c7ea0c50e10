#!/usr/bin/env python3
"""Per-send cost of the accounts lookup (docs/accounts.md), tclsmtp only.

The same send, repeated, from in-process interpreters to a local server:
without an accounts file; with one whose account does not match; through a
matching account (literal password, delivery log). The three alternate in
rounds (the machine's load changes); the best round of each is printed,
with its ratio to the first.

    .venv/bin/python bench/accounts_lookup.py [SENDS_PER_ROUND] [ROUNDS]
"""
from __future__ import annotations

import os
import sys
import tempfile
import time
import tkinter

import tclsmtp
from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import PlainAuth


def main() -> None:
    sends = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 7
    directory = tempfile.mkdtemp()

    def config(name: str, text: str) -> str:
        path = os.path.join(directory, name)
        with open(path, "w") as f:
            f.write(text)
        os.chmod(path, 0o600)
        return path

    with RecordingServer(credentials={"u": "p"}, auth_handlers=[PlainAuth({"u": "p"})],
                         keep_deliveries=False) as server:
        cases = {
            "no accounts file": (None, "127.0.0.1"),
            "file, no account matches": (
                config("nomatch.toml", '[accounts.x]\nmatch = "elsewhere.example"\n'),
                "127.0.0.1"),
            "matching account + log": (config("match.toml", f"""
[accounts.x]
match = "mail.example"
host = "127.0.0.1"
port = {server.port}
tls = "none"
username = "u"
password = "p"
log = "{directory}/deliveries.jsonl"
"""), "mail.example"),
        }
        interps = {}
        for label, (path, host) in cases.items():
            interp = tkinter.Tcl()
            tclsmtp.install(interp, config=path)
            interp.eval("package require smtp; package require mime")
            interp.eval('set t [mime::initialize -canonical text/plain -string "hello"]')
            command = (f"smtp::sendmessage $t -servers {host} -ports {server.port} "
                       f"-username u -password p -header {{To a@example.com}} "
                       f"-header {{From b@example.com}}")
            interp.eval(command)                       # warm up
            interps[label] = (interp, command)
        best: dict[str, float] = {}
        for _ in range(rounds):
            for label, (interp, command) in interps.items():
                started = time.perf_counter()
                for _ in range(sends):
                    interp.eval(command)
                ms = (time.perf_counter() - started) / sends * 1000
                best[label] = min(best.get(label, ms), ms)
    base = best["no accounts file"]
    for label, ms in best.items():
        print(f"{label:26s} {ms:7.3f} ms/send   ratio {ms / base:5.2f}")


if __name__ == "__main__":
    main()
