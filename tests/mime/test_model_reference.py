"""Token commands compared with tcllib run on the same script (one tclsh run
per test), results normalized only for ids, dates and boundaries."""
from __future__ import annotations

import pytest

# Each case is run in order in one interpreter; later cases may use tokens
# (set ::a ...) made by earlier ones.
INITIALIZE = [
    ("noargs", "mime::initialize"),
    ("missing", "mime::initialize -canonical"),
    ("unknown", "mime::initialize -bogus 1"),
    ("nosource", "mime::initialize -canonical text/plain"),
    ("two_sources", "mime::initialize -canonical text/plain -string a -parts {}"),
    ("param_bad", "mime::initialize -canonical text/plain -param {a} -string x"),
    ("param_twice", "mime::initialize -canonical text/plain -param {a b} -param {A c} -string x"),
    ("enc_bad", "mime::initialize -canonical text/plain -encoding foo -string x"),
    ("enc_bad2", "mime::initialize -canonical text/plain -encoding base64 -encoding foo -string x"),
    ("hdr_ct", "mime::initialize -canonical text/plain -header {Content-Type x} -string x"),
    ("hdr_cte", "mime::initialize -canonical text/plain -header {content-transfer-encoding x} -string x"),
    ("hdr_mv", "mime::initialize -canonical text/plain -header {MIME-Version x} -string x"),
    ("hdr_md5", "mime::initialize -canonical text/plain -header {Content-MD5 x} -string x"),
    ("hdr_bad", "mime::initialize -canonical text/plain -header {a} -string x"),
    ("parts_text", "mime::initialize -canonical text/plain -parts {}"),
    ("parts_image", "mime::initialize -canonical image/gif -parts {}"),
    ("parts_enc", "mime::initialize -canonical multipart/mixed -encoding base64 -parts {}"),
    ("param_nocanon", "mime::initialize -param {a b} -string x"),
    ("enc_nocanon", "mime::initialize -encoding base64 -string x"),
    ("hdr_nocanon", "mime::initialize -header {a b} -string x"),
    ("parts_nocanon", "mime::initialize -parts {}"),
    ("ok1", "set ::a [mime::initialize -canonical text/plain -string hello]"),
    ("ok1_build", "mime::buildmessage $::a"),
    ("ok1_props", "mime::getproperty $::a"),
    ("ok1_names", "mime::getproperty $::a -names"),
    ("ok1_size", "mime::getproperty $::a size"),
    ("ok1_leaf", "mime::getproperty $::a parts"),
    ("ok1_bogus", "mime::getproperty $::a bogus"),
    ("ok1_hdr", "mime::getheader $::a"),
    ("ok1_hdrnames", "mime::getheader $::a -names"),
    ("ok1_cid", "mime::getheader $::a content-id"),
    ("ok1_ct", "mime::getheader $::a Content-Type"),
    ("ok1_cte", "mime::getheader $::a Content-Transfer-Encoding"),
    ("ok1_mv", "mime::getheader $::a mime-version"),
    ("ok1_nokey", "mime::getheader $::a X-Nope"),
    ("inline", "set ::b [mime::initialize -canonical {Text/Plain; charset=UTF-8} -string hi]"),
    ("inline_build", "mime::buildmessage $::b"),
    ("inline_props", "mime::getproperty $::b"),
    ("params", "set ::c [mime::initialize -canonical text/plain -param {Charset ISO-8859-1} "
               "-param {format flowed} -param {delsp yes} -param {x-a 1} -param {x-b 2} -string hi]"),
    ("params_get", "mime::getproperty $::c params"),
    ("params_build", "mime::buildmessage $::c"),
    ("hdrs", "set ::d [mime::initialize -canonical text/html -header {Subject Hello} "
             "-header {X-Multi one} -header {x-multi two} -header {Content-ID <mine@x>} -string <p>]"),
    ("hdrs_build", "mime::buildmessage $::d"),
    ("hdrs_get", "mime::getheader $::d x-MULTI"),
    ("hdrs_names", "mime::getheader $::d -names"),
    ("enc_given", "mime::buildmessage [mime::initialize -canonical text/plain -encoding Quoted-Printable "
                  "-string {a=b}]"),
    ("enc_7bit", "mime::buildmessage [mime::initialize -canonical text/plain -encoding 7bit -string x]"),
    ("app_default", "mime::buildmessage [mime::initialize -canonical application/octet-stream "
                    "-string abc]"),
    ("app_binary", "mime::buildmessage [mime::initialize -canonical application/octet-stream "
                   "-string \"a\\x00b\\xff\"]"),
    ("audio", "mime::buildmessage [mime::initialize -canonical audio/basic -string abc]"),
]

AUTO_ENCODING = [
    ("plain_short", r'mime::buildmessage [mime::initialize -canonical text/plain -string "line one\nline two"]'),
    ("plain_long", "mime::buildmessage [mime::initialize -canonical text/plain -string [string repeat x 77]]"),
    ("plain_76", "mime::buildmessage [mime::initialize -canonical text/plain -string [string repeat x 76]]"),
    ("plain_trail", r'mime::buildmessage [mime::initialize -canonical text/plain -string "a \nb"]'),
    ("plain_dot", r'mime::buildmessage [mime::initialize -canonical text/plain -string "a\n.\nb"]'),
    ("plain_from", r'mime::buildmessage [mime::initialize -canonical text/plain -string "a\nFrom me\nb"]'),
    ("plain_cr", r'mime::buildmessage [mime::initialize -canonical text/plain -string "a\r\nb"]'),
    ("plain_tab", "mime::buildmessage [mime::initialize -canonical text/plain -string \"a\\tb\"]"),
    ("latin_nocs", r'mime::buildmessage [mime::initialize -canonical text/plain -string "caf\u00e9"]'),
    ("latin_cs1", r'mime::buildmessage [mime::initialize -canonical text/plain -param {charset iso-8859-1} -string "caf\u00e9"]'),
    ("latin_cs15", r'mime::buildmessage [mime::initialize -canonical text/plain -param {charset ISO-8859-15} -string "caf\u00e9"]'),
    ("latin_utf8", r'mime::buildmessage [mime::initialize -canonical text/plain -param {charset utf-8} -string "caf\u00e9"]'),
    ("utf8_bytes", r'mime::buildmessage [mime::initialize -canonical text/plain -param {charset UTF-8} -string [encoding convertto utf-8 "caf\u00e9 \u263a"]]'),
    ("latin_long", r'mime::buildmessage [mime::initialize -canonical text/plain -string "caf\u00e9 [string repeat y 80]"]'),
    ("html_long", "mime::buildmessage [mime::initialize -canonical text/html -param {charset us-ascii} -string \"[string repeat {<p>x</p> } 30]\"]"),
    ("qp_mix", r'mime::buildmessage [mime::initialize -canonical text/plain -param {charset iso-8859-1} -string "[string repeat {a=b } 25]caf\u00e9 \nFrom x\n.\nend "]'),
    ("b64_57", "mime::buildmessage [mime::initialize -canonical application/octet-stream -encoding base64 -string [string repeat x 57]]"),
    ("b64_58", "mime::buildmessage [mime::initialize -canonical application/octet-stream -encoding base64 -string [string repeat x 58]]"),
    ("b64_empty", "mime::buildmessage [mime::initialize -canonical application/octet-stream -encoding base64 -string {}]"),
    ("b64_big", "mime::buildmessage [mime::initialize -canonical application/octet-stream -encoding base64 -string [string repeat abcdefghij 1000]]"),
    ("empty", "mime::buildmessage [mime::initialize -canonical text/plain -string {}]"),
]

STRUCTURE = [
    ("p1", 'set ::p1 [mime::initialize -canonical text/plain -string "part one"]'),
    ("p2", 'set ::p2 [mime::initialize -canonical image/png -string "\\x89PNG\\x00\\x01"]'),
    ("mixed", "set ::m [mime::initialize -canonical multipart/mixed -parts [list $::p1 $::p2]]"),
    ("mixed_subject", "mime::setheader $::m Subject {a test}"),
    ("mixed_build", "mime::buildmessage $::m"),
    ("mixed_props", "mime::getproperty $::m"),
    ("mixed_parts", "mime::getproperty $::m parts"),
    ("mixed_names", "mime::getproperty $::m -names"),
    ("mixed_size", "mime::getproperty $::m size"),
    ("mixed_hdr", "mime::getheader $::m"),
    ("related", "set ::r [mime::initialize -canonical multipart/related -param {type text/html} -parts [list $::p1]]"),
    ("related_build", "mime::buildmessage $::r"),
    ("given_boundary", "mime::buildmessage [mime::initialize -canonical multipart/alternative -param {boundary XyZ} -parts [list $::p1 $::p2]]"),
    ("nested", "mime::buildmessage [mime::initialize -canonical multipart/mixed -parts [list $::m $::p1]]"),
    ("rfc822", "set ::e [mime::initialize -canonical message/rfc822 -parts [list $::p1 $::p2]]"),
    ("rfc822_build", "mime::buildmessage $::e"),
    ("rfc822_string", "mime::buildmessage [mime::initialize -canonical message/rfc822 -string \"Subject: x\\n\\nbody\"]"),
    ("empty_multi", "mime::buildmessage [mime::initialize -canonical multipart/mixed -parts {}]"),
    ("bad_part", "mime::buildmessage [mime::initialize -canonical multipart/mixed -parts {::mime::nosuch}]"),
    ("bad_part_size", "mime::getproperty [mime::initialize -canonical multipart/mixed -parts {::mime::nosuch}] size"),
    ("fin_child", "mime::finalize $::p1"),
    ("after_fin", "mime::buildmessage $::m"),
    ("fin_dead", "mime::finalize $::p1"),
    ("fin_none_dead", "mime::finalize $::p1 -subordinates none"),
    ("fin_all", "mime::finalize $::m -subordinates all"),
    ("fin_bogus", "mime::finalize $::p2 -subordinates bogus"),
    ("fin_odd", "mime::finalize $::p2 -subordinates"),
    ("fin_extra", "mime::finalize [mime::initialize -canonical text/plain -string x] -subordinates all -foo bar"),
    ("p3", 'set ::p3 [mime::initialize -canonical text/plain -string "three"]'),
    ("m3", "set ::m3 [mime::initialize -canonical multipart/mixed -parts [list $::p3]]"),
    ("fin_dyn", "mime::finalize $::m3"),
    ("p3_alive", "mime::getproperty $::p3 content"),
]

SETHEADER = [
    ("ct_other", "mime::setheader [mime::initialize -canonical text/plain -string h] Content-Type x"),
    ("ct_same", "set t [mime::initialize -canonical text/plain -string h]; list [mime::setheader $t Content-Type text/plain] [mime::buildmessage $t]"),
    ("ct_lower", "mime::setheader [mime::initialize -canonical text/plain -string h] content-type {text/html}"),
    ("cte_x", "mime::setheader [mime::initialize -canonical text/plain -string h] Content-Transfer-Encoding x"),
    ("mv_x", "mime::setheader [mime::initialize -canonical text/plain -string h] MIME-Version x"),
    ("mv_same", "set t [mime::initialize -canonical text/plain -string h]; list [mime::setheader $t MIME-Version 1.0] [mime::buildmessage $t]"),
    ("md5", "mime::setheader [mime::initialize -canonical text/plain -string h] Content-MD5 x"),
    ("md5_delete", "mime::setheader [mime::initialize -canonical text/plain -string h] Content-MD5 x -mode delete"),
    ("cid_delete", "set t [mime::initialize -canonical text/plain -string h]; list [mime::setheader $t Content-ID x -mode delete] [mime::buildmessage $t]"),
    ("ct_delete", "mime::setheader [mime::initialize -canonical text/plain -string h] Content-Type x -mode delete"),
    ("write", "set t [mime::initialize -canonical text/plain -string h]; list [mime::setheader $t Subject a] [mime::setheader $t SUBJECT b] [mime::getheader $t subject] [mime::getheader $t -names] [mime::buildmessage $t]"),
    ("append", "set t [mime::initialize -canonical text/plain -string h]; list [mime::setheader $t Received a -mode append] [mime::setheader $t received b -mode append] [mime::getheader $t RECEIVED] [mime::buildmessage $t]"),
    ("delete", "set t [mime::initialize -canonical text/plain -string h]; mime::setheader $t X-A 1; mime::setheader $t X-B 2; list [mime::setheader $t x-a {} -mode delete] [mime::getheader $t -names] [mime::buildmessage $t]"),
    ("delete_missing", "mime::setheader [mime::initialize -canonical text/plain -string h] Subject a -mode delete"),
    ("mode_bogus_existing", "set t [mime::initialize -canonical text/plain -string h]; mime::setheader $t Subject a; mime::setheader $t Subject c -mode bogus"),
    ("mode_odd", "mime::setheader [mime::initialize -canonical text/plain -string h] Subject c -mode"),
    ("mode_last_wins", "set t [mime::initialize -canonical text/plain -string h]; mime::setheader $t Subject a; mime::setheader $t Subject c -mode write -mode append; mime::getheader $t Subject"),
    ("cid_append", "set t [mime::initialize -canonical text/plain -string h]; mime::setheader $t Content-ID c -mode append; lindex [mime::getheader $t Content-ID] 1"),
    ("unicode_value", "set t [mime::initialize -canonical text/plain -string h]; mime::setheader $t Subject \"caf\\u00e9 \\u263a\"; mime::buildmessage $t"),
    ("bad_token", "mime::setheader ::mime::nosuch a b"),
    ("bad_token_get", "mime::getheader ::mime::nosuch"),
    ("bad_token_names", "mime::getheader ::mime::nosuch -names"),
    ("bad_token_prop", "mime::getproperty ::mime::nosuch"),
    ("bad_token_prop_names", "mime::getproperty ::mime::nosuch -names"),
    ("bad_token_prop_size", "mime::getproperty ::mime::nosuch size"),
    ("bad_token_prop_parts", "mime::getproperty ::mime::nosuch parts"),
    ("bad_token_prop_enc", "mime::getproperty ::mime::nosuch encoding"),
    ("bad_token_body", "mime::getbody ::mime::nosuch"),
    ("bad_token_fin", "mime::finalize ::mime::nosuch"),
    ("bad_token_fin_all", "mime::finalize ::mime::nosuch -subordinates all"),
    ("bad_token_build", "mime::buildmessage ::mime::nosuch"),
    ("bad_token_copy", "mime::copymessage ::mime::nosuch stdout"),
]

WRONG_ARGS = [
    (f"wa_{cmd}_{n}", f"{prefix}mime::{cmd} {' '.join(['a'] * n)}")
    for cmd, counts in [("getheader", (0, 3)), ("setheader", (0, 2)), ("getproperty", (0, 3)),
                        ("finalize", (0,)), ("getbody", (0,)), ("copymessage", (0, 1, 3)),
                        ("buildmessage", (0, 2)), ("parseaddress", (0, 2)),
                        ("parsedatetime", (1, 3)), ("uniqueID", (1,)), ("mapencoding", (0,)),
                        ("reversemapencoding", (2,)), ("qp_encode", (0, 4)),
                        ("qp_decode", (3,)), ("word_decode", (2,)), ("field_decode", (0,))]
    for n in counts for prefix in ("", "::")
]

GETBODY = [
    ("gb_t", 'set ::g [mime::initialize -canonical text/plain -string "hello world, this is the body"]'),
    ("gb_plain", "mime::getbody $::g"),
    ("gb_decode", "mime::getbody $::g -decode"),
    ("gb_cb", "set ::log {}; list [mime::getbody $::g -command {apply {{args} {lappend ::log $args; return R}}} -blocksize 7] $::log"),
    ("gb_cb_error", "set ::log {}; list [mime::getbody $::g -command {apply {{args} {lappend ::log $args; if {[lindex $args 0] eq {data}} {error boom}; return R}}} -blocksize 7] $::log"),
    ("gb_cb_error_end", "mime::getbody $::g -command {apply {{args} {error boom2}}} -blocksize 7"),
    ("gb_bs0", "mime::getbody $::g -blocksize 0"),
    ("gb_bsx", "mime::getbody $::g -blocksize x"),
    ("gb_odd", "mime::getbody $::g -command"),
    ("gb_dd", "mime::getbody $::g -decode -decode"),
    ("gb_exact", "set ::log {}; mime::getbody $::g -command {apply {{args} {lappend ::log [string length [lindex $args 1]]}}} -blocksize 29; set ::log"),
    ("gb_parts", "mime::getbody [mime::initialize -canonical multipart/mixed -parts [list $::g]]"),
    ("gb_latin", 'mime::getbody [mime::initialize -canonical text/plain -param {charset iso-8859-1} -string [encoding convertto iso8859-1 "caf\\u00e9"]] -decode'),
    ("gb_utf8", 'mime::getbody [mime::initialize -canonical text/plain -param {charset UTF-8} -string [encoding convertto utf-8 "caf\\u00e9 \\u263a"]] -decode'),
    ("gb_nomap", "mime::getbody [mime::initialize -canonical text/plain -param {charset x-unknown} -string abc] -decode"),
    ("gb_b64", "mime::getbody [mime::initialize -canonical application/octet-stream -encoding base64 -string abc]"),
]


@pytest.mark.parametrize("cases", [INITIALIZE, AUTO_ENCODING, STRUCTURE, SETHEADER, WRONG_ARGS, GETBODY],
                         ids=["initialize", "auto_encoding", "structure", "setheader", "wrong_args",
                              "getbody"])
def test_same_as_tcllib(compare, cases):
    bad = compare(cases)
    assert not bad, "\n".join(bad)
