"""The SASL encodings against the RFCs' own examples.

Every expected value below is copied from the RFC named (or Google's
published XOAUTH2 example), never from our output.
"""
from __future__ import annotations

import base64

import pytest

from tclsmtp.smtp.sasl_mechanisms import (
    CramMd5Client, DigestMd5Client, LoginClient, MechanismError, OAuthBearerClient,
    PlainClient, ScramClient, XOAuth2Client, cram_md5_response, digest_md5_response,
    digest_md5_value, oauthbearer_initial, parse_digest_challenge, plain_response,
    tcl_base64_decode, tcl_bytes, xoauth2_initial,
)


# ---------------------------------------------------------------- RFC 4616 PLAIN

def test_plain_rfc4616_examples():
    # Section 4: "\0tim\0tanstaaftanstaaf" and, with an authzid, "Ursel\0Kurt\0xipj3plmq".
    assert plain_response("tim", "tanstaaftanstaaf") == b"\x00tim\x00tanstaaftanstaaf"
    assert plain_response("Kurt", "xipj3plmq", authzid="Ursel") == b"Ursel\x00Kurt\x00xipj3plmq"


# ---------------------------------------------------------------- RFC 2195 CRAM-MD5

RFC2195_CHALLENGE_B64 = "PDE4OTYuNjk3MTcwOTUyQHBvc3RvZmZpY2UucmVzdG9uLm1jaS5uZXQ+"
RFC2195_RESPONSE_B64 = "dGltIGI5MTNhNjAyYzdlZGE3YTQ5NWI0ZTZlNzMzNGQzODkw"


def test_cram_md5_rfc2195_example():
    challenge = base64.b64decode(RFC2195_CHALLENGE_B64)
    assert challenge == b"<1896.697170952@postoffice.reston.mci.net>"
    response = cram_md5_response("tim", "tanstaaftanstaaf", challenge)
    assert response == b"tim b913a602c7eda7a495b4e6e7334d3890"
    assert base64.b64encode(response).decode() == RFC2195_RESPONSE_B64


def test_cram_md5_state_machine_follows_tcllib():
    client = CramMd5Client("tim", "tanstaaftanstaaf")
    assert client.respond(b"") == b""          # tcllib: empty challenge, empty answer
    assert client.respond(base64.b64decode(RFC2195_CHALLENGE_B64)) == \
        base64.b64decode(RFC2195_RESPONSE_B64)
    with pytest.raises(MechanismError, match="CRAM-MD5 has only 1 step"):
        client.respond(b"again")


# ---------------------------------------------------------------- RFC 2831 DIGEST-MD5

RFC2831_CHALLENGE = (b'realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",qop="auth",'
                     b'algorithm=md5-sess,charset=utf-8')


def test_digest_md5_rfc2831_example_values():
    # Section 4, IMAP example: response-value and rspauth.
    args = (b"chris", b"elwood.innosoft.com", b"secret", b"imap/elwood.innosoft.com",
            b"OA6MG9tEQGm2hh", b"00000001", b"OA6MHXh6VqTrRk")
    assert digest_md5_value(*args) == "d388dad90d4bbd760a152321f2143af7"
    assert digest_md5_value(*args, initial=False) == "ea40f60335c427b5527b84dbabcdfffd"


def test_digest_md5_rfc2831_example_response_in_tcllib_form():
    # The RFC's client answer carries the same digest; tcllib writes the
    # fields in its own order, quotes nc, and echoes charset.
    got = digest_md5_response("chris", "secret", RFC2831_CHALLENGE,
                              cnonce="OA6MHXh6VqTrRk", service="imap")
    assert got == (b'username="chris",realm="elwood.innosoft.com",nonce="OA6MG9tEQGm2hh",'
                   b'nc="00000001",cnonce="OA6MHXh6VqTrRk",digest-uri="imap/elwood.innosoft.com",'
                   b'response="d388dad90d4bbd760a152321f2143af7",qop=auth,charset=utf-8')


def test_digest_parameters_parse_like_tcllib():
    params = parse_digest_challenge(RFC2831_CHALLENGE)
    assert params == {"realm": "elwood.innosoft.com", "nonce": "OA6MG9tEQGm2hh",
                      "qop": "auth", "algorithm": "md5-sess", "charset": "utf-8"}
    # Backslash escapes inside quotes; a repeated key keeps its last value.
    assert parse_digest_challenge(b'realm="a",realm="b\\"c",nonce=x') == \
        {"realm": 'b"c', "nonce": "x"}


def test_digest_md5_without_charset_uses_latin1_and_no_charset_echo():
    got = digest_md5_response("j\u00f6rg", "p\u00e4ss", b'nonce="n1"', cnonce="c1")
    user = "j\u00f6rg".encode("latin-1")
    expected_value = digest_md5_value(user, b"", "p\u00e4ss".encode("latin-1"), b"smtp/",
                                      b"n1", b"00000001", b"c1")
    assert got == (b'username="' + user + b'",realm="",nonce="n1",nc="00000001",cnonce="c1",'
                   b'digest-uri="smtp/",response="' + expected_value.encode() + b'",qop=auth')


def test_digest_md5_state_machine_follows_tcllib():
    client = DigestMd5Client("chris", "secret", service="imap",
                             cnonce_factory=lambda: "OA6MHXh6VqTrRk")
    assert client.respond(b"") == b""                   # no challenge yet: empty answer
    first = client.respond(RFC2831_CHALLENGE)
    assert b'response="d388dad90d4bbd760a152321f2143af7"' in first
    assert client.respond(b"rspauth=ea40f60335c427b5527b84dbabcdfffd") == b""
    with pytest.raises(MechanismError, match="invalid state"):
        client.respond(b"more")


def test_digest_md5_without_nonce_fails_like_tcllib():
    with pytest.raises(MechanismError):
        DigestMd5Client("u", "p").respond(b'realm="x"')


# ---------------------------------------------------------------- LOGIN, PLAIN states

def test_login_state_machine_follows_tcllib():
    client = LoginClient("alice", "secret")
    assert client.respond(b"") == b""          # tcllib: empty first prompt, empty answer
    assert client.respond(b"Username:") == b"alice" and not client.secret
    assert client.respond(b"Password:") == b"secret" and client.secret
    with pytest.raises(MechanismError, match='unexpected state "3": LOGIN has only 2 steps'):
        client.respond(b"Again:")


def test_plain_answers_every_challenge():
    client = PlainClient("alice", "secret")
    assert client.respond(b"") == client.respond(b"x") == b"\x00alice\x00secret"


# ---------------------------------------------------------------- RFC 5802 / RFC 7677 SCRAM

def _scram_run(name, user, password, c_nonce, server_first, server_final):
    client = ScramClient(name, user, password, c_nonce=c_nonce)
    first = client.initial_response()
    final = client.respond(server_first.encode())
    assert client.respond(server_final.encode()) == b""      # signature checked
    return first.decode(), final.decode()


def test_scram_sha1_rfc5802_example():
    first, final = _scram_run(
        "SCRAM-SHA-1", "user", "pencil", "fyko+d2lbbFgONRv9qkxdawL",
        "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
        "v=rmF9pqV8S7suAoZWja4dJRkFsKQ=")
    assert first == "n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL"
    assert final == ("c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,"
                     "p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=")


def test_scram_sha256_rfc7677_example():
    first, final = _scram_run(
        "SCRAM-SHA-256", "user", "pencil", "rOprNGfwEbeRWgbNEkqO",
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
        "v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
    assert first == "n,,n=user,r=rOprNGfwEbeRWgbNEkqO"
    assert final == ("c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,"
                     "p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")


def test_scram_refuses_a_forged_server_signature():
    client = ScramClient("SCRAM-SHA-1", "user", "pencil", c_nonce="fyko+d2lbbFgONRv9qkxdawL")
    client.initial_response()
    client.respond(b"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")
    with pytest.raises(MechanismError):
        client.respond(b"v=AAAApqV8S7suAoZWja4dJRkFsKQ=")


# ---------------------------------------------------------------- RFC 7628, XOAUTH2

RFC7628_INITIAL_B64 = ("bixhPXVzZXJAZXhhbXBsZS5jb20sAWhvc3Q9c2VydmVyLmV4YW1wbGUuY29tAXBvcnQ9MTQzAWF1dGg9"
                       "QmVhcmVyIHZGOWRmdDRxbVRjMk52YjNSbGNrQmhiSFJoZG1semRHRXVZMjl0Q2c9PQEB")
RFC7628_TOKEN = "vF9dft4qmTc2Nvb3RlckBhbHRhdmlzdGEuY29tCg=="


def test_oauthbearer_rfc7628_example():
    got = oauthbearer_initial("user@example.com", RFC7628_TOKEN, "server.example.com", 143)
    assert base64.b64encode(got).decode() == RFC7628_INITIAL_B64


def test_oauthbearer_escapes_the_authzid_and_aborts_with_ctrl_a():
    got = oauthbearer_initial("a=b,c", "t", "h", 1)
    assert got.startswith(b"n,a=a=3Db=2Cc,\x01")
    # RFC 7628 3.2.3: the client answers the server's error challenge with ^A ("AQ==").
    client = OAuthBearerClient("u", "t", "h", 1)
    assert base64.b64encode(client.respond(b'{"status":"invalid_token"}')) == b"AQ=="


def test_xoauth2_google_example():
    # Google's XOAUTH2 documentation (developers.google.com/gmail/imap/xoauth2-protocol).
    got = xoauth2_initial("someuser@example.com", "ya29.vF9dft4qmTc2Nvb3RlckBhdHRhdmlzdGEuY29tCg")
    assert base64.b64encode(got).decode() == (
        "dXNlcj1zb21ldXNlckBleGFtcGxlLmNvbQFhdXRoPUJlYXJlciB5YTI5LnZGOWRmdDRxbVRjMk52YjNS"
        "bGNrQmhkSFJoZG1semRHRXVZMjl0Q2cBAQ==")
    assert XOAuth2Client("u", "t").respond(b"{}") == b""


# ---------------------------------------------------------------- tcllib's bytes

def test_tcl_bytes_latin1_when_possible_else_utf8():
    assert tcl_bytes("p\u00e4ss") == b"p\xe4ss"                 # what tcllib sends
    assert tcl_bytes("\u5bc6\u7801") == "\u5bc6\u7801".encode("utf-8")


@pytest.mark.parametrize("text, expected", [
    ("VXNlcm5hbWU6", b"Username:"),      # base64 of "Username:"
    ("VXNlcm5hbWU", b"Username"),        # padding is optional for tcllib
    ("VXNl cm5h\tbWU6", b"Username:"),   # stray characters are dropped
    ("", b""),
    ("QR", b"A"),                        # lax about trailing bits, as Tcl
    ("A", None),                         # Tcl: invalid base64 character
    ("ABCDE", None),
])
def test_tcl_base64_decode(text, expected):
    assert tcl_base64_decode(text) == expected


def test_tcl_base64_decode_agrees_with_tcllib(tcllib):
    from reference import run_tclsh
    cases = ["VXNlcm5hbWU6", "VXNlcm5hbWU", "VXNl cm5h\tbWU6", "QR", "A", "ABCDE", "Username:",
             "*", "cmVhbG09Imxv"]
    script = "package require base64\n" + "".join(
        f'if {{[catch {{base64::decode "{c}"}} r]}} {{puts ERR}} else {{binary scan $r H* h; puts "OK $h"}}\n'
        for c in cases)
    out = run_tclsh(script).stdout.split("\n")
    for case, line in zip(cases, out):
        got = tcl_base64_decode(case)
        assert line == ("ERR" if got is None else f"OK {got.hex()}"), case


# ---------------------------------------------------------------- reading EHLO

EHLO_CASES = [
    ["SIZE 1000", "AUTH LOGIN PLAIN", "HELP"],
    ["AUTH=LOGIN", "AUTH LOGIN PLAIN CRAM-MD5"],      # the first AUTH line counts
    ["auth login plain"],                             # case matters to tcllib
    ["AUTH", "AUTH PLAIN"],
    ["AUTHX PLAIN"],
    ["8BITMIME"],
    ["AUTH  DIGEST-MD5\tCRAM-MD5 "],
]


def test_offered_mechanisms_read_as_tcllib_reads_them(tcllib):
    # The expression is smtp.tcl's (initialize_ehlo), run by tclsh on each
    # EHLO argument list; tcllib then tests membership with lsearch -exact.
    from reference import run_tclsh
    from tclsmtp.smtp.sasl import offered_mechanisms
    script = ""
    for args in EHLO_CASES:
        tcl_args = " ".join("{" + a + "}" for a in args)
        script += (f"set args [list {tcl_args}]\n"
                   "if {[set andx [lsearch -glob $args \"AUTH*\"]] >= 0} {\n"
                   "  puts [join [string range [lindex $args $andx] 5 end] |]\n"
                   "} else { puts NONE }\n")
    out = run_tclsh(script).stdout.splitlines()
    for args, line in zip(EHLO_CASES, out, strict=True):
        got = offered_mechanisms(args)
        expected = [] if line == "NONE" else [m for m in line.split("|") if m]
        assert got == expected, args


def test_oauth_fields_cannot_smuggle_separators():
    with pytest.raises(MechanismError, match="contains a"):
        XOAuth2Client("alice\x01auth=Bearer stolen", "t")
    with pytest.raises(MechanismError, match="contains a"):
        OAuthBearerClient("alice", "t\x01host=evil", "h", 25)


def test_digest_md5_charset_names_as_tcl_knows_them_but_utf8_in_any_case():
    # Tcl's encoding names are lower case: tcllib fails on "ISO8859-1"
    # (checked against tclsh below) and on "UTF-8" (docs/compat.md: we take it).
    with pytest.raises(MechanismError, match='unknown encoding "ISO8859-1"'):
        digest_md5_response("j\u00f6rg", "pw", b'nonce="n",charset=ISO8859-1', cnonce="c")
    upper = digest_md5_response("j\u00f6rg", "pw", b'nonce="n",charset=UTF-8', cnonce="c")
    lower = digest_md5_response("j\u00f6rg", "pw", b'nonce="n",charset=utf-8', cnonce="c")
    assert upper == lower.replace(b"charset=utf-8", b"charset=UTF-8")
    assert b'username="j\xc3\xb6rg"' in upper


def test_digest_md5_charset_failures_match_tcllib(tcllib):
    from reference import run_tclsh
    out = run_tclsh("""
package require SASL
proc cb {ctx cmd args} { switch -- $cmd { username {return u} password {return p} default {return ""} } }
foreach cs {ISO8859-1 UTF-8 bogus} {
    set ctx [SASL::new -mechanism DIGEST-MD5 -callback cb]
    catch {SASL::step $ctx "nonce=\\"n\\",charset=$cs"} m
    puts $m
}
""").stdout.splitlines()
    assert out[0] == 'unknown encoding "ISO8859-1"' and out[2] == 'unknown encoding "bogus"'
    assert out[1] == 'unknown encoding "UTF-8"'          # the case we accept
    with pytest.raises(MechanismError, match='unknown encoding "bogus"'):
        digest_md5_response("u", "p", b'nonce="n",charset=bogus')
