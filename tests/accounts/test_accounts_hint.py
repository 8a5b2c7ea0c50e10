"""The hint line after a refused password: the script's error stays
tcllib's (compared with tclsh + tcllib); when the script does not catch it,
`tclsmtp run` adds one line naming the fix; a caught error adds nothing,
and TCLSMTP_QUIET=1 turns it off."""
from __future__ import annotations

import pytest

from reference import run_both, run_tclsmtp
from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import BASIC_AUTH_DISABLED, LoginAuth, PlainAuth

USER = "reports@example.com"

SEND = """package require smtp
package require mime
set t [mime::initialize -canonical text/plain -string "the nightly report"]
{body}
"""
UNCAUGHT = ("smtp::sendmessage $t -servers 127.0.0.1 -ports {port} -username " + USER +
            " -password old-password -header {{To bob@example.com}} "
            "-header {{From reports@example.com}}")


@pytest.fixture
def exchange():
    """Exchange Online with Basic authentication off: passwords get 550
    5.7.30, and MAIL without AUTH gets 530."""
    with RecordingServer(credentials={}, auth_required=True,
                         auth_handlers=[PlainAuth({}, refusal=BASIC_AUTH_DISABLED),
                                        LoginAuth({}, refusal=BASIC_AUTH_DISABLED)]) as server:
        yield server


HINT = ("tclsmtp: 127.0.0.1 refused the password (550 5.7.30 Basic authentication is not "
        "supported for Client Submission); if it takes OAuth only, give the script an account "
        "with OAuth: see docs/accounts.md")


def test_uncaught_refusal_gets_one_hint_line(tcllib, exchange):
    ref, ours = run_both(SEND.format(body=UNCAUGHT.format(port=exchange.port)))
    assert ref.returncode == ours.returncode == 1
    *report, hint = ours.stderr.splitlines()
    assert "\n".join(report) + "\n" == ref.stderr          # tcllib's report, as it is
    assert ref.stderr.startswith("command returned bad code: 7")
    assert hint == HINT
    assert "old-password" not in hint      # (errorInfo quotes the command, as tclsh does)


def test_caught_refusal_prints_nothing(tcllib, exchange):
    body = ("set rc [catch {" + UNCAUGHT.format(port=exchange.port) + "} r]\n"
            "puts \"rc=$rc $r\"")
    ref, ours = run_both(SEND.format(body=body))
    assert (ours.returncode, ours.stdout, ours.stderr) == (ref.returncode, ref.stdout, ref.stderr)
    assert ours.stdout == "rc=7 diagnostic {5.7.0 Authentication required} args {} code 530\n"
    assert ours.stderr == ""


def test_quiet_turns_the_hint_off(tcllib, exchange):
    ref, ours = run_both(SEND.format(body=UNCAUGHT.format(port=exchange.port)),
                         env={"TCLSMTP_QUIET": "1"})
    assert ours.stderr == ref.stderr


def test_no_password_no_hint(tcllib, exchange):
    """A refusal that follows no password (no -username) gets no such line."""
    body = UNCAUGHT.format(port=exchange.port).replace(
        f" -username {USER} -password old-password", "")
    ref, ours = run_both(SEND.format(body=body))
    assert ours.returncode == ref.returncode == 1
    assert ours.stderr == ref.stderr
