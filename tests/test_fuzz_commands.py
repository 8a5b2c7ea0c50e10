"""Every option of every mime:: and smtp:: command, fed hostile values:
the script always gets a result or a proper Tcl error with a message,
never ``tclsmtp internal error`` (a Python exception of ours)."""
from __future__ import annotations

import os
import socket
import tkinter

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import tclsmtp



def _dead_port() -> str:
    """A loopback port nobody listens on (connections are refused)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return str(s.getsockname()[1])


DEAD = _dead_port()

VALUES = [
    "", " ", "0", "1", "-1", "2", "nan", "inf", "-inf", "1e309", "0x10", "08", "1.5",
    "9" * 5000, "-" + "9" * 30, "abc", "-abc", "{", "}", "\"", "{a b", "a\\", "\\",
    "a\r\nBcc: x@example.com", "\n", "\r", "x\x00y", "\x00",
    "\u00e9", "\u5bc6", "\U0001f600", "\ud800", "\xff\xfe", "=?utf-8?q?a?=",
    "text/plain", "multipart/mixed", "message/rfc822", "image/png", "text/plain; charset=x",
    "base64", "quoted-printable", "7bit", "8bit", "binary", "x-unknown",
    "a@b.c", "<a@b.c>", "a@b.c, d@e.f", "\"a> NOTIFY=NEVER\"@c.example", "@", "<>",
    "Subject", "Content-Type", "Content-Transfer-Encoding", "MIME-Version", "bad name",
    "write", "append", "delete", "-names", "content", "params", "encoding", "size", "parts",
    "all", "dynamic", "none", "utf-8", "iso-8859-1", "B", "Q", "b", "q",
    "/nonexistent/file", "/", "/dev/null", "~", "~nosuchuser/x",
    DEAD, "70000",
    "{a 1}", "{a 1} {b 2}", "a b c", "[list]", "$x",
]

OPTIONS = {
    "initialize": ["-canonical", "-param", "-encoding", "-header", "-file", "-string", "-parts",
                   "-root", "-bogus"],
    "getbody": ["-decode", "-command", "-blocksize", "-bogus"],
    "finalize": ["-subordinates", "-bogus"],
    "setheader": ["-mode", "-bogus"],
    "word_encode": ["-charset_encoded", "-maxlength", "-bogus"],
    "sendmessage": ["-servers", "-ports", "-client", "-queue", "-atleastone", "-originator",
                    "-recipients", "-header", "-usetls", "-tlspolicy", "-tlsimport", "-debug",
                    "-maxsecs", "-username", "-password", "-bogus"],
}

value = st.one_of(st.sampled_from(VALUES), st.text(max_size=12))


# host names the resolver never has to look up (no network here): loopback,
# and names IDNA refuses before any lookup
SERVERS = st.sampled_from(["127.0.0.1", "", "::1", "127.0.0.1 127.0.0.1", "{127.0.0.1",
                           "a" * 64 + ".example.com", "a..b", "127.0.0.1\x00x"])


def _options(command: str):
    option = st.sampled_from(OPTIONS[command])
    pair = option.flatmap(lambda name: st.tuples(
        st.just(name), SERVERS if name == "-servers" else value))
    return st.lists(pair, max_size=4).map(lambda pairs: [x for p in pairs for x in p])


@pytest.fixture(scope="module")
def fuzz_interp():
    os.environ["TCLSMTP_SMTP_MAX_WAIT"] = "2"
    t = tkinter.Tcl()
    tclsmtp.install(t)
    t.eval("package require mime; package require smtp")
    yield t
    del os.environ["TCLSMTP_SMTP_MAX_WAIT"]


def _check(interp, *words) -> None:
    """Run one command; a Tcl error must be ours on purpose, with a message."""
    # fresh tokens every time: a canonical part and a parsed multipart
    interp.eval("""set ::t [mime::initialize -canonical text/plain -string hello]
        set ::m [mime::initialize -string "Content-Type: multipart/mixed; boundary=b\n\n--b\n\nx\n--b--\n"]""")
    words = [interp.eval("set ::t") if w == "TOKEN" else w for w in words]
    try:
        interp.call(*words)
    except tkinter.TclError as e:
        message = str(e)
        assert message, f"empty error from {words!r}"
        assert "tclsmtp internal error" not in message, f"{words!r}: {message}"
    except ValueError:
        pass            # tkinter itself refuses some strings before Tcl sees them
    finally:
        interp.eval("foreach x [list $::t $::m] {catch {mime::finalize $x -subordinates all}}")


FAST = settings(max_examples=80, deadline=None, derandomize=True,
                suppress_health_check=list(HealthCheck))


@FAST
@given(args=_options("initialize"))
def test_initialize(fuzz_interp, args):
    _check(fuzz_interp, "mime::initialize", *args)


@FAST
@given(target=st.sampled_from(["TOKEN", "::mime::999", ""]), args=_options("getbody"))
def test_getbody(fuzz_interp, target, args):
    _check(fuzz_interp, "mime::getbody", target, *args)


@FAST
@given(target=st.sampled_from(["TOKEN", "::mime::999"]), args=_options("finalize"))
def test_finalize(fuzz_interp, target, args):
    _check(fuzz_interp, "mime::finalize", target, *args)


@FAST
@given(key=value, text=value, args=_options("setheader"))
def test_setheader(fuzz_interp, key, text, args):
    _check(fuzz_interp, "mime::setheader", "TOKEN", key, text, *args)


@FAST
@given(command=st.sampled_from(["getheader", "getproperty"]), extra=st.lists(value, max_size=2))
def test_token_queries(fuzz_interp, command, extra):
    _check(fuzz_interp, f"mime::{command}", "TOKEN", *extra)


@FAST
@given(command=st.sampled_from(["parseaddress", "mapencoding", "reversemapencoding",
                                "qp_decode", "word_decode", "field_decode", "buildmessage"]),
       text=value)
def test_one_argument_functions(fuzz_interp, command, text):
    _check(fuzz_interp, f"mime::{command}", text)


@FAST
@given(text=value, property_=value, flags=st.lists(value, max_size=2))
def test_two_argument_functions(fuzz_interp, text, property_, flags):
    _check(fuzz_interp, "mime::parsedatetime", text, property_)
    _check(fuzz_interp, "mime::qp_encode", text, *flags)


@FAST
@given(charset=value, method=value, text=value, args=_options("word_encode"))
def test_word_encode(fuzz_interp, charset, method, text, args):
    _check(fuzz_interp, "mime::word_encode", charset, method, text, *args)


@settings(max_examples=30, deadline=None, derandomize=True,
          suppress_health_check=list(HealthCheck))
@given(args=_options("sendmessage"))
def test_sendmessage(fuzz_interp, args):
    # a dead port unless the example names its own: no server is ever reached
    base = ["-servers", "127.0.0.1", "-ports", DEAD, "-header", "To a@example.com"]
    _check(fuzz_interp, "smtp::sendmessage", "TOKEN", *base, *args)
