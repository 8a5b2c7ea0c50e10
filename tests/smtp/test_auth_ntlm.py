"""NTLM through pyspnego (the optional ``ntlm`` extra), against pyspnego's
own NTLM server behind aiosmtpd; and NTLM simply absent without pyspnego."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from tclsmtp.server import RecordingServer
from tclsmtp.server_auth import LoginAuth, NtlmAuth
from tclsmtp.smtp import sasl_ntlm

from test_auth_wire import auth_lines, debug_auth_lines, run_ours, run_tcllib

USERS = {"alice": "s3cret"}


@pytest.fixture
def ntlm_users(tmp_path, monkeypatch):
    users = tmp_path / "ntlm-users"
    users.write_text("EXAMPLE:alice:s3cret\n")
    monkeypatch.setenv("NTLM_USER_FILE", str(users))
    monkeypatch.delenv("USERDOMAIN", raising=False)
    return users


def test_pyspnego_is_installed_for_these_tests():
    assert sasl_ntlm.available()


def test_ntlm_authenticates_against_pyspnego_server(ntlm_users):
    handler = NtlmAuth()
    with RecordingServer(credentials=USERS, auth_handlers=[handler, LoginAuth(USERS)]) as server:
        run = run_ours(server, "EXAMPLE\\alice", "s3cret")
        lines = auth_lines(server.client_lines[0])
    assert run.outcome.mechanism == "NTLM"
    assert handler.log[0].success
    assert lines[0] == "AUTH NTLM"
    import base64
    assert base64.b64decode(lines[1])[:12] == b"NTLMSSP\0\x01\0\0\0"     # NEGOTIATE
    assert base64.b64decode(lines[2])[:12] == b"NTLMSSP\0\x03\0\0\0"     # AUTHENTICATE
    assert [s for _, s in run.sent] == [False, False, True]


def test_userdomain_names_the_domain_as_in_tcllib(ntlm_users, monkeypatch):
    monkeypatch.setenv("USERDOMAIN", "EXAMPLE")
    assert sasl_ntlm.ntlm_user("alice") == "EXAMPLE\\alice"
    assert sasl_ntlm.ntlm_user("OTHER\\alice") == "OTHER\\alice"
    with RecordingServer(credentials=USERS, auth_handlers=[NtlmAuth()]) as server:
        run = run_ours(server, "alice", "s3cret")
    assert run.outcome.mechanism == "NTLM"


def test_ntlm_comes_first_and_falls_back_like_tcllib(ntlm_users, tcllib):
    # tcllib ranks NTLM above every other mechanism it has. With a wrong
    # password both clients try NTLM, then LOGIN, then PLAIN.
    factory = lambda: [NtlmAuth(), LoginAuth(USERS)]
    with RecordingServer(credentials=USERS, auth_handlers=factory()) as server:
        ref = run_tcllib(server, "alice", "wrong")
        assert server.wait_closed()
        ref_lines = auth_lines(server.client_lines[0])
    with RecordingServer(credentials=USERS, auth_handlers=factory()) as server:
        run = run_ours(server, "alice", "wrong")
        our_lines = auth_lines(server.client_lines[0])
    commands = lambda lines: [l for l in lines if l.startswith("AUTH")]
    assert commands(ref_lines) == commands(our_lines) == ["AUTH NTLM", "AUTH LOGIN", "AUTH PLAIN"]
    assert run.log == debug_auth_lines(ref.stderr)
    # docs/compat.md: tcllib answers with NTLMv1 (a 24-byte NT response),
    # pyspnego with NTLMv2 (longer: it carries a client blob).
    assert nt_response_length(ref_lines[2]) == 24
    assert nt_response_length(our_lines[2]) > 24


def nt_response_length(line: str) -> int:
    """NtChallengeResponseFields.Len of an AUTHENTICATE message (MS-NLMP 2.2.1.3)."""
    import base64
    import struct
    message = base64.b64decode(line)
    assert message[:12] == b"NTLMSSP\0\x03\0\0\0"
    return struct.unpack_from("<H", message, 20)[0]


def test_without_pyspnego_ntlm_is_not_offered():
    # A fresh interpreter where importing spnego fails, against a real
    # server that offers NTLM and LOGIN.
    script = textwrap.dedent("""
        import sys
        sys.modules["spnego"] = None          # import spnego -> ImportError
        sys.path[:0] = [HERE, TESTS]
        from tclsmtp.smtp import sasl, sasl_ntlm
        from tclsmtp.server import RecordingServer
        from tclsmtp.server_auth import LoginAuth, _Recorder
        from aiosmtpd.smtp import auth_mechanism
        from test_auth_wire import run_ours, auth_lines
        assert not sasl_ntlm.available()
        assert "NTLM" not in sasl.AuthConfig().order()
        try:
            sasl.AuthConfig(mechanisms=["NTLM"])
        except ValueError as e:
            print("refused:", e)

        class OffersNtlm(_Recorder):
            async def auth_NTLM(self, server, args):
                return self._done(self._event("NTLM"), None, False)

        users = {"alice": "s3cret"}
        with RecordingServer(credentials=users, auth_handlers=[OffersNtlm(), LoginAuth(users)]) as s:
            run = run_ours(s, "alice", "s3cret")
            print([l for l in auth_lines(s.client_lines[0]) if l.startswith("AUTH")])
        print(run.outcome.mechanism)
    """).replace("HERE", repr(str(Path(__file__).parent))).replace(
        "TESTS", repr(str(Path(__file__).parent.parent)))
    p = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                       timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.splitlines() == [
        "refused: NTLM needs pyspnego: pip install pyspnego",
        "['AUTH LOGIN']",
        "LOGIN"]
