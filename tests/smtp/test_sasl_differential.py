"""Our SASL client steps against tcllib's SASL package itself, for many
generated user names, passwords and challenges (Latin-1 text: beyond it
we send UTF-8 on purpose, see docs/compat.md)."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from reference import run_tclsh
from tclsmtp.smtp.sasl_mechanisms import (
    CramMd5Client, DigestMd5Client, LoginClient, MechanismError, PlainClient,
)

from test_auth_wire import tcl_quote

CNONCE = "0123456789abcdef0123456789abcdef"

TCL_PRELUDE = f"""
package require SASL
proc cb {{user pass ctx cmd args}} {{
    switch -- $cmd {{
        login {{ return "" }}
        username {{ return $user }}
        password {{ return $pass }}
        realm {{ return "" }}
        hostname {{ return [info host] }}
    }}
}}
proc ::SASL::CreateNonce {{}} {{ return {CNONCE} }}
proc run {{mech user pass challenges}} {{
    set ctx [SASL::new -mechanism $mech -callback [list cb $user $pass]]
    set out {{}}
    foreach ch $challenges {{
        if {{[catch {{SASL::step $ctx [binary format H* $ch]}}]}} {{
            lappend out ERR
            break
        }}
        binary scan [SASL::response $ctx] H* h
        lappend out $h
    }}
    puts [join $out ,]
}}
"""

latin1 = st.text(st.characters(min_codepoint=1, max_codepoint=255), max_size=12)
challenge = st.binary(max_size=40)
digest_challenge = st.builds(
    lambda realm, nonce, charset: (
        (f'realm="{realm}",' if realm is not None else "") + f'nonce="{nonce}",qop="auth"'
        + (",charset=utf-8" if charset else "") + ",algorithm=md5-sess").encode("latin-1"),
    st.one_of(st.none(), st.text("abcdefghij.-", min_size=1, max_size=10)),
    st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/", min_size=1, max_size=20),
    st.booleans())

case = st.one_of(
    st.tuples(st.just("PLAIN"), latin1, latin1, st.lists(challenge, min_size=1, max_size=2)),
    st.tuples(st.just("LOGIN"), latin1, latin1, st.lists(challenge, min_size=1, max_size=4)),
    st.tuples(st.just("CRAM-MD5"), latin1, latin1, st.lists(challenge, min_size=1, max_size=2)),
    # (user names with " or \ differ on purpose: docs/compat.md)
    st.tuples(st.just("DIGEST-MD5"), latin1.filter(lambda u: '"' not in u and "\\" not in u),
              latin1,
              st.tuples(st.sampled_from([b"", b"x"]), digest_challenge, st.just(b"rspauth=1"),
                        st.just(b"more")).map(lambda t: list(t[t[0] == b"x":]))),
)


def ours(mech: str, user: str, password: str, challenges: list[bytes]) -> str:
    client = {"PLAIN": lambda: PlainClient(user, password),
              "LOGIN": lambda: LoginClient(user, password),
              "CRAM-MD5": lambda: CramMd5Client(user, password),
              "DIGEST-MD5": lambda: DigestMd5Client(user, password,
                                                    cnonce_factory=lambda: CNONCE)}[mech]()
    out = []
    for ch in challenges:
        try:
            out.append(client.respond(ch).hex())
        except MechanismError:
            out.append("ERR")
            break
    return ",".join(out)


@settings(max_examples=6, deadline=None)
@given(st.lists(case, min_size=60, max_size=60))
def test_client_steps_match_tcllib_sasl(tcllib, cases):
    script = TCL_PRELUDE + "".join(
        f"run {mech} {tcl_quote(user)} {tcl_quote(pw)} [list {' '.join(c.hex() or '{}' for c in chs)}]\n"
        for mech, user, pw, chs in cases)
    result = run_tclsh(script)
    lines = result.stdout.splitlines()
    assert len(lines) == len(cases), result.stderr
    for (mech, user, pw, chs), line in zip(cases, lines):
        assert ours(mech, user, pw, chs) == line, (mech, user, pw, chs)
