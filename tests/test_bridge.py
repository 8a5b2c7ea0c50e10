"""The tkinter bridge: errors keep their message, the event loop keeps running,
install() wins over an installed tcllib."""
from __future__ import annotations

import gc
import os
import threading
import tkinter

import pytest

import tclsmtp
from tclsmtp.errors import ScriptError
from tclsmtp.primitives import primitive


@primitive("test.fail")
def _fail(session, message, *errorcode):
    raise ScriptError(message, errorcode or ("NONE",))


@primitive("test.refuse")
def _refuse(session):
    raise ScriptError("diagnostic {5.7.1 sender refused} args {} code 553", code=7)


@primitive("test.bug")
def _bug(session):
    return {}["missing"]


@primitive("test.echo")
def _echo(session, *args):
    return list(args)


@primitive("test.bytes")
def _bytes(session):
    return bytes(range(256))


@primitive("test.wait")
def _wait(session, seconds):
    done = threading.Event()
    threading.Timer(float(seconds), done.set).start()
    session.wait(done)
    return "waited"


def test_error_message_and_errorcode_reach_catch(interp):
    interp.eval('proc f {} {::tclsmtp::call test.fail "unknown option -foo" MIME BADOPT}')
    code = interp.eval('catch {f} msg opts')
    assert code == "1"
    assert interp.eval("set msg") == "unknown option -foo"
    assert interp.eval("dict get $opts -errorcode") == "MIME BADOPT"
    assert interp.eval("set ::errorInfo").startswith("unknown option -foo")


def test_error_works_with_try_trap(interp):
    interp.eval('proc f {} {::tclsmtp::call test.fail "boom" MIME BADOPT}')
    assert interp.eval('try {f} trap {MIME BADOPT} m {set r "trapped $m"}') == "trapped boom"


def test_uncaught_error_raises_in_python_with_message(interp):
    interp.eval('proc f {} {::tclsmtp::call test.fail "the message"}')
    with pytest.raises(tkinter.TclError, match="^the message$"):
        interp.eval("f")


def test_return_code_7_like_tcllib_smtp(interp):
    interp.eval('proc send {} {::tclsmtp::call test.refuse}')
    assert interp.eval("catch {send} msg") == "7"
    assert interp.eval("dict get $msg code") == "553"


def test_internal_bug_has_a_message_and_no_traceback(interp, monkeypatch):
    monkeypatch.delenv("TCLSMTP_DEBUG", raising=False)
    interp.eval("catch {::tclsmtp::call test.bug} msg")
    msg = interp.eval("set msg")
    assert msg.startswith("tclsmtp internal error in test.bug: KeyError")
    assert "Traceback" not in msg


def test_debug_switch_shows_traceback(interp, monkeypatch):
    monkeypatch.setenv("TCLSMTP_DEBUG", "1")
    interp.eval("catch {::tclsmtp::call test.bug} msg")
    assert "Traceback" in interp.eval("set msg")


def test_lists_and_bytes_cross_intact(interp):
    assert interp.eval("llength [::tclsmtp::call test.echo {a b} c {}]") == "3"
    assert interp.eval("lindex [::tclsmtp::call test.echo {a b} c] 0") == "a b"
    assert interp.eval("binary encode hex [::tclsmtp::call test.bytes]") == bytes(range(256)).hex()


def test_event_loop_runs_while_a_primitive_waits(interp):
    interp.eval("set ::ticks 0; proc tick {} {incr ::ticks; after 20 tick}; after 20 tick")
    assert interp.eval("::tclsmtp::call test.wait 0.3") == "waited"
    assert int(interp.eval("set ::ticks")) >= 5


def test_install_is_idempotent_and_per_interpreter():
    a, b = tkinter.Tcl(), tkinter.Tcl()
    sa = tclsmtp.install(a)
    assert tclsmtp.install(a) is sa
    assert tclsmtp.install(b) is not sa
    assert sa.new_token(object()) == "::mime::1"
    assert tclsmtp.install(b).new_token(object()) == "::mime::1"


def test_install_wins_over_installed_tcllib(tcllib):
    t = tkinter.Tcl()
    # tcllib is reachable from this interpreter's auto_path...
    assert t.eval("package require mime") == "1.7.0"
    fresh = tkinter.Tcl()
    tclsmtp.install(fresh)
    # ...but after install() ours is what loads, with tcllib's current numbers.
    assert fresh.eval("package require mime") == "1.7.2"
    assert fresh.eval("package require smtp") == "1.5.2"
    assert fresh.eval("package present mime") == "1.7.2"
    assert fresh.eval("package vsatisfies [package present smtp] 1.5") == "1"


def test_pkgindex_is_inert_without_the_bridge(tcllib):
    """tcl/ on a plain tclsh's auto_path does not hide tcllib."""
    import subprocess
    from tclsmtp.bridge.paths import tcl_dir
    script = f'lappend auto_path {{{tcl_dir()}}}; puts [package require mime]'
    p = subprocess.run(["tclsh"], input=script, capture_output=True, text=True)
    assert p.stdout.strip() == "1.7.0"


@primitive("test.surrogate")
def _surrogate(session):
    return ["a\ud800b", "\udfff"]


def test_lone_surrogates_reach_tcl_without_crashing(interp):
    # Tcl 8.6 strings may hold a lone surrogate; _tkinter crashes on a bare one.
    assert interp.eval("llength [::tclsmtp::call test.surrogate]") == "2"
    assert interp.eval("string length [lindex [::tclsmtp::call test.surrogate] 0]") == "3"


def test_a_new_interpreter_never_inherits_a_dead_ones_session():
    # A new tkapp may reuse the address (id) of a collected one.
    for _ in range(50):
        t = tkinter.Tcl()
        session = tclsmtp.install(t)
        assert session.new_token(object()) == "::mime::1"
        del t, session
    assert tclsmtp.install(tkinter.Tcl()).tokens == {}


def _rss_kb() -> int:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") // 1024


def test_dropped_interpreters_and_sessions_are_freed():
    """::tclsmtp::invoke held its tkapp from C (createcommand), through the
    session and its wait: 1,000 dropped interpreters kept ~360 MB."""
    from tclsmtp.bridge import _SESSIONS

    def one() -> None:
        t = tkinter.Tcl()
        tclsmtp.install(t)
        t.eval("package require mime; mime::initialize -canonical text/plain -string hi")

    for _ in range(20):             # allocator pools, Tcl's caches
        one()
    gc.collect()
    sessions, before = len(_SESSIONS), _rss_kb()
    for _ in range(1000):
        one()
    gc.collect()
    assert len(_SESSIONS) <= sessions
    assert _rss_kb() - before < 30_000           # was ~360,000 KB


def test_an_interpreter_that_sent_is_freed(server):
    from tclsmtp.bridge import _SESSIONS
    gc.collect()
    sessions = len(_SESSIONS)
    for _ in range(3):
        t = tkinter.Tcl()
        tclsmtp.install(t)
        t.eval(f"""package require smtp; package require mime
            smtp::sendmessage [mime::initialize -canonical text/plain -string hi] \
                -servers 127.0.0.1 -ports {server.port} -header {{To a@example.com}}""")
        del t
    server.wait_closed(5)
    gc.collect()
    assert len(server.deliveries) == 3
    assert len(_SESSIONS) <= sessions
