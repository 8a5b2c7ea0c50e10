"""-debug during AUTH: the same conversation as tcllib on the wire, but the
lines that carry credentials are not printed (tcllib prints the base64 of
AUTH PLAIN/LOGIN answers, i.e. the password)."""
from __future__ import annotations

import base64

import pytest

from tclsmtp.server import RecordingServer

from conftest import assert_same, both, normalize

pytestmark = pytest.mark.usefixtures("tcllib")


def script(port: int, mechanisms_note: str = "") -> str:
    return f"""package require smtp
set t [mime::initialize -canonical text/plain -string "authenticated\\n"]
set code [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {port} -debug 1 \\
    -header {{To a@example.com}} -username alice -password s3cret-pw}} r]
puts "code=$code result=$r"
"""


@pytest.mark.parametrize("password,ok", [("s3cret-pw", True), ("other", False)])
def test_auth_conversation_matches_and_secrets_stay_off_stderr(password, ok):
    with RecordingServer(credentials={"alice": password}) as s:
        ref, ours = both(s, script(s.port))
        secrets = [base64.b64encode(b"\0alice\0s3cret-pw").decode(),
                   base64.b64encode(b"s3cret-pw").decode()]
        wire = "\n".join("\n".join(c) for c in ours.lines)
        assert any(line.startswith("AUTH ") for conn in ref.lines for line in conn)
        assert any(secret in ref.run.stderr for secret in secrets)   # tcllib shows it
        for secret in secrets:
            assert secret not in ours.run.stderr
        assert ("<-- 235" in ours.run.stderr) is ok
        # identical apart from the hidden lines
        assert_same(ref, ours, skip=("stderr",))
        ref_lines = normalize(ref.run.stderr).splitlines()
        our_lines = normalize(ours.run.stderr).splitlines()
        assert len(ref_lines) == len(our_lines)
        differing = [(a, b) for a, b in zip(ref_lines, our_lines) if a != b]
        assert differing, "nothing was hidden"
        for theirs, mine in differing:
            assert any(secret in theirs for secret in secrets + [base64.b64encode(b"alice").decode()]) \
                or theirs.startswith("AUTH ")
            assert mine.startswith("--> [secret hidden] (wait upto 300 seconds)") or mine.startswith("AUTH ")
        assert wire  # the wire itself still carried the credentials to the server
