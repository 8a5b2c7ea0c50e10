"""Authenticated sends: the per-message time of a Tcl loop that sends with
-username/-password, under tclsh+tcllib and under `python -m tclsmtp run`,
against a recording aiosmtpd server on loopback (smtp-sink has no AUTH).

    .venv/bin/python bench/smtp_auth.py [COUNT]

Prints, per mechanism, both figures (milliseconds per message, measured
inside the script) and the ratio. The "no AUTH" line is the same loop
without -username, against the same server, for comparison.
"""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from smtp_common import run_script  # noqa: E402

from tclsmtp.server import RecordingServer  # noqa: E402
from tclsmtp.server_auth import CramMd5Auth, DigestMd5Auth, ScramSha256Auth  # noqa: E402

SCRIPT = """
package require mime
package require smtp
lassign $argv port count auth
set t [mime::initialize -canonical text/plain -string "hello"]
set t0 [clock microseconds]
for {set i 0} {$i < $count} {incr i} {
    smtp::sendmessage $t {*}$auth -servers 127.0.0.1 -ports $port \\
        -header {From alice@example.com} -header {To bob@example.com}
}
puts [format %.2f [expr {([clock microseconds] - $t0) / double($count) / 1000.0}]]
"""

USERS = {"alice": "pw"}
CASES = [  # label, -username/-password, server-side handlers, mechanisms offered
    ("no AUTH", "", [], ["PLAIN"]),
    ("PLAIN", "-username alice -password pw", [], ["PLAIN"]),
    ("LOGIN", "-username alice -password pw", [], ["LOGIN"]),
    ("CRAM-MD5", "-username alice -password pw", [CramMd5Auth], ["CRAM-MD5"]),
    ("DIGEST-MD5", "-username alice -password pw", [DigestMd5Auth], ["DIGEST-MD5"]),
    ("SCRAM-SHA-256 offered too (tcllib: CRAM-MD5)", "-username alice -password pw",
     [ScramSha256Auth, CramMd5Auth], ["SCRAM-SHA-256", "CRAM-MD5"]),
]


def main() -> None:
    count = sys.argv[1] if len(sys.argv) > 1 else "50"
    for label, auth, handlers, offered in CASES:
        figures = {}
        for engine in ("tcllib", "tclsmtp"):
            with RecordingServer(credentials=USERS, auth_handlers=[h(USERS) for h in handlers],
                                 auth_mechanisms=offered) as server:
                _, out, _ = run_script(SCRIPT, engine, str(server.port), count, auth)
                figures[engine] = float(out.strip())
        print(f"{label:45} tcllib {figures['tcllib']:6.2f} ms/message   "
              f"tclsmtp {figures['tclsmtp']:6.2f} ms/message   "
              f"ratio {figures['tcllib'] / figures['tclsmtp']:4.1f}x")


if __name__ == "__main__":
    from reference import use_reference_tcllib
    use_reference_tcllib()
    main()
