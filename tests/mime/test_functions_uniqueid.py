"""mime::uniqueID: tcllib's <pid.seconds.counter@host> form and counter."""
from __future__ import annotations

import os
import re
import time

from tclsmtp.primitives import call, load_all
from tclsmtp.session import Session

from reference import run_tclsh
from test_functions_reference import python_call, tcllib_calls

load_all()

_FORM = re.compile(r"<(\d+)\.(\d+)\.(\d+)@(.+)>\Z")


def test_uniqueid_form_and_counter_match_tcllib(tcllib):
    ref = run_tclsh("package require mime\nputs [pid]\nputs [info hostname]\n"
                    "puts [mime::uniqueID]\nputs [mime::uniqueID]\nmime::parseaddress a@b\n"
                    "puts [mime::uniqueID]\n")
    pid, host, *ids = ref.stdout.split()
    want = [_FORM.match(i).groups() for i in ids]
    assert [(w[0], w[2], w[3]) for w in want] == [(pid, "1", host), (pid, "2", host), (pid, "3", host)]

    session = Session()
    before = int(time.time())
    got = [call(session, "mime.uniqueID"), call(session, "mime.uniqueID")]
    call(session, "mime.parseaddress", "a@b")  # uses the token counter, not this one
    got.append(call(session, "mime.uniqueID"))
    after = int(time.time())
    parsed = [_FORM.match(g).groups() for g in got]
    assert [(p[0], p[2], p[3]) for p in parsed] == [(str(os.getpid()), str(n), host) for n in (1, 2, 3)]
    assert all(before <= int(p[1]) <= after for p in parsed)


def test_counter_is_per_interpreter():
    a, b = Session(), Session()
    call(a, "mime.uniqueID")
    assert _FORM.match(call(a, "mime.uniqueID")).group(3) == "2"
    assert _FORM.match(call(b, "mime.uniqueID")).group(3) == "1"


def test_uniqueid_wrong_args(tcllib):
    expected = tcllib_calls("::mime::uniqueID", [("x",)])
    session = Session()
    assert python_call(lambda *a: call(session, "mime.uniqueID", *a), "x") == expected[0]


def test_parseaddress_takes_a_token_number_like_tcllib(tcllib):
    ref = run_tclsh("package require mime\nmime::parseaddress a@b\nmime::parseaddress c@d\n"
                    "puts [mime::initialize -canonical text/plain -string x]\n")
    session = Session()
    call(session, "mime.parseaddress", "a@b")
    call(session, "mime.parseaddress", "c@d")
    assert session.new_token(object()) == ref.stdout.strip() == "::mime::3"
