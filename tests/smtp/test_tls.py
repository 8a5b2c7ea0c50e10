"""TLS: STARTTLS and implicit TLS against servers with trustme certificates,
compared with tcllib+tcl-tls where tcllib can do it; the verified paths,
strict mode and -tlspolicy."""
from __future__ import annotations

import pytest

from tclsmtp.server import RecordingServer

from conftest import assert_same, both, run_on
from reference import run_tclsmtp
from scripted import ScriptedServer, converse

pytestmark = pytest.mark.usefixtures("tcllib")

STRICT = {"TCLSMTP_STRICT_TLS": "1"}


def script(port: int, options: str = "", before: str = "") -> str:
    return f"""package require smtp
package require mime
{before}
set t [mime::initialize -canonical text/plain -string "over TLS\\n"]
set code [catch {{smtp::sendmessage $t -servers 127.0.0.1 -ports {port} \\
    -header {{To a@example.com}} -originator me@example.com -debug 1 {options}}} r opts]
puts "code=$code"
puts "result=$r"
if {{$code == 1}} {{ puts "errorcode=[dict get $opts -errorcode]" }}
"""


@pytest.fixture
def starttls(certs):
    with RecordingServer(tls_context=certs.server_context) as s:
        yield s


@pytest.fixture
def implicit(certs):
    with RecordingServer(tls_context=certs.server_context, implicit_tls=True) as s:
        yield s


def test_starttls_by_default_with_an_unverified_certificate(starttls):
    """tcllib encrypts whenever STARTTLS is offered, whatever the certificate."""
    ref, ours = both(starttls, script(starttls.port))
    assert ref.lines[0][:3] == ["EHLO vm", "STARTTLS", "EHLO vm"]
    assert_same(ref, ours)


def test_starttls_verified_with_tls_init(starttls, certs):
    before = f"package require tls\ntls::init -cafile {certs.cafile} -require 1"
    ref, ours = both(starttls, script(starttls.port, before=before))
    assert "code=0" in ref.run.stdout
    assert_same(ref, ours)


def test_usetls_off_stays_in_clear(starttls):
    ref, ours = both(starttls, script(starttls.port, "-usetls 0"))
    assert "STARTTLS" not in ref.lines[0]
    assert_same(ref, ours)


def test_implicit_tls_with_tlsimport(implicit):
    ref, ours = both(implicit, script(implicit.port, "-tlsimport 1"))
    assert "code=0" in ref.run.stdout
    assert_same(ref, ours)


def test_required_verification_fails_against_an_unknown_ca(starttls, tmp_path):
    """tls::init -require 1 with a CA file that did not sign the server's
    certificate: no message is sent, and the error says why (tcllib reports
    the greeting's text here; docs/compat.md)."""
    import trustme
    other = tmp_path / "other-ca.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    before = f"package require tls\ntls::init -cafile {other} -require 1"
    ours = run_on(starttls, run_tclsmtp, script(starttls.port, before=before))
    assert "code=1" in ours.run.stdout
    assert "certificate verify failed" in ours.run.stdout
    assert ours.envelopes == []


def test_strict_mode_refuses_an_unverified_certificate(starttls):
    ours = run_on(starttls, run_tclsmtp, script(starttls.port), env=STRICT)
    assert "code=1" in ours.run.stdout
    assert "certificate verify failed" in ours.run.stdout
    assert ours.envelopes == []


def test_strict_mode_sends_with_a_verified_certificate(starttls, certs):
    before = f"package require tls\ntls::init -cafile {certs.cafile}"
    ours = run_on(starttls, run_tclsmtp, script(starttls.port, before=before), env=STRICT)
    assert "code=0" in ours.run.stdout
    assert len(ours.envelopes) == 1


def test_strict_mode_checks_the_host_name(certs):
    with RecordingServer(tls_context=certs.wrong_name_context) as s:
        before = f"package require tls\ntls::init -cafile {certs.cafile}"
        strict = run_on(s, run_tclsmtp, script(s.port, before=before), env=STRICT)
        assert "code=1" in strict.run.stdout
        assert "mismatch" in strict.run.stdout or "match" in strict.run.stdout
        assert strict.envelopes == []
        # the same script without strict mode goes through, as with tcllib
        relaxed = run_on(s, run_tclsmtp, script(s.port, before=before))
        assert "code=0" in relaxed.run.stdout


def test_strict_mode_keeps_credentials_out_of_clear_text():
    with RecordingServer(credentials={"user": "secret"}) as s:
        ours = run_on(s, run_tclsmtp, script(s.port, "-username user -password secret"), env=STRICT)
        assert "code=1" in ours.run.stdout
        assert "in clear" in ours.run.stdout
        assert not any(line.startswith("AUTH") for conn in ours.lines for line in conn)
        assert "secret" not in "".join("".join(c) for c in ours.lines)


def _refuses_starttls(peer):
    converse(peer, "220 no tls here", {"EHLO": ("250-x", "250-STARTTLS", "250 SIZE 100000"),
                                       "STARTTLS": ("454 4.7.0 TLS not available",)})


@pytest.mark.parametrize("answer", ["secure", "insecure", "error"])
def test_tlspolicy_when_starttls_is_refused(answer):
    policy = f"""proc policy {{code text}} {{
    puts "policy called: $code $text"
    if {{"{answer}" eq "error"}} {{ error "policy broke" }}
    return {answer}
}}"""
    with ScriptedServer(_refuses_starttls) as s:
        ref, ours = both(s, script(s.port, "-tlspolicy policy", before=policy))
        assert "policy called: 454 4.7.0 TLS not available" in ref.run.stdout
        assert_same(ref, ours)


@pytest.mark.parametrize("servers,init,expected", [
    ("localhost", "", "localhost"),
    ("127.0.0.1", "", None),                        # no SNI for an address
    ("127.0.0.1", "tls::init -servername mail.example", "mail.example"),
])
def test_sni(certs, servers, init, expected):
    import ssl
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    names = []
    ctx.sni_callback = lambda obj, name, c: names.append(name)
    import trustme
    trustme.CA().issue_cert("localhost", "127.0.0.1").configure_cert(ctx)
    with RecordingServer(tls_context=ctx) as s:
        before = f"package require tls\n{init}" if init else ""
        ours = run_on(s, run_tclsmtp, script(s.port, before=before).replace(
            "-servers 127.0.0.1", f"-servers {servers}"))
        assert "code=0" in ours.run.stdout
        assert names == [expected]


def test_protocol_switches_are_honoured(certs):
    import ssl
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3          # a TLS 1.3-only server
    import trustme
    trustme.CA().issue_cert("127.0.0.1").configure_cert(ctx)
    with RecordingServer(tls_context=ctx) as s:
        ok = run_on(s, run_tclsmtp, script(s.port))
        assert "code=0" in ok.run.stdout
        no13 = run_on(s, run_tclsmtp, script(s.port, before="package require tls\ntls::init -tls1.3 0"))
        assert "code=1" in no13.run.stdout and "TLS handshake with 127.0.0.1 failed" in no13.run.stdout
        assert len(s.deliveries) == 1


def test_auth_after_starttls(certs):
    """AUTH is offered only on the encrypted connection: tcllib's order is
    EHLO, STARTTLS, EHLO, AUTH; strict mode sends the password there too."""
    with RecordingServer(tls_context=certs.server_context, credentials={"alice": "pw"},
                         auth_require_tls=True) as s:
        options = "-username alice -password pw"
        ref, ours = both(s, script(s.port, options))
        assert ref.lines[0][:4] == ["EHLO vm", "STARTTLS", "EHLO vm", "AUTH LOGIN"]
        assert "<-- 235" in ref.run.stderr
        assert_same(ref, ours, skip=("stderr",))       # -debug hides the password
        before = f"package require tls\ntls::init -cafile {certs.cafile}"
        strict = run_on(s, run_tclsmtp, script(s.port, options, before=before), env=STRICT)
        assert "code=0" in strict.run.stdout and "<-- 235" in strict.run.stderr


def test_client_certificate_from_tls_init(tmp_path):
    """tls::init -certfile/-keyfile: a client certificate for servers that
    ask for one."""
    import ssl
    import trustme
    ca = trustme.CA()
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("127.0.0.1").configure_cert(ctx)
    ctx.verify_mode = ssl.CERT_REQUIRED                    # demands a client certificate
    ca.configure_trust(ctx)
    client = ca.issue_cert("client.example")
    certfile, keyfile = tmp_path / "client.pem", tmp_path / "client.key"
    client.cert_chain_pems[0].write_to_path(str(certfile))
    client.private_key_pem.write_to_path(str(keyfile))
    with RecordingServer(tls_context=ctx) as s:
        without = run_on(s, run_tclsmtp, script(s.port))
        assert "code=1" in without.run.stdout
        before = f"package require tls\ntls::init -certfile {certfile} -keyfile {keyfile}"
        with_cert = run_on(s, run_tclsmtp, script(s.port, before=before))
        assert "code=0" in with_cert.run.stdout
        assert len(s.deliveries) == 1
