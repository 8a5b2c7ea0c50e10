"""Per-interpreter settings (route, strict TLS) and the `tls` stand-in."""
from __future__ import annotations

import tkinter

import pytest
import trustme

import tclsmtp
from tclsmtp.server import RecordingServer

SEND = """package require smtp
set t [mime::initialize -canonical text/plain -string "routed\\n"]
set code [catch {{smtp::sendmessage $t {options} -header {{To a@example.com}}}} r]
list $code $r
"""


def test_route_sends_everything_to_one_server_in_plain_tcp(server):
    interp = tkinter.Tcl()
    tclsmtp.install(interp, route=("127.0.0.1", server.port))
    result = interp.eval(SEND.format(options="-servers {mail.invalid backup.invalid} -ports 465 -tlsimport 1"))
    assert result == "0 {}"
    assert len(server.deliveries) == 1
    assert len(server.client_lines) == 1
    assert server.client_lines[0][0].startswith("EHLO ")


def test_strict_tls_from_install(certs):
    interp = tkinter.Tcl()
    tclsmtp.install(interp, strict_tls=True)
    with RecordingServer(tls_context=certs.server_context) as s:
        code, message = interp.eval(SEND.format(
            options=f"-servers 127.0.0.1 -ports {s.port}")).split(" ", 1)
        assert code == "1" and "certificate verify failed" in message
        interp.eval(f"package require tls; tls::init -cafile {{{certs.cafile}}}")
        assert interp.eval(SEND.format(options=f"-servers 127.0.0.1 -ports {s.port}")) == "0 {}"
        assert len(s.deliveries) == 1


@pytest.fixture
def without_tcl_tls():
    """An interpreter whose auto_path cannot find Debian's tcl-tls."""
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval("set ::auto_path [lsearch -all -inline -not -glob $::auto_path /usr/lib/tcltk*]")
    assert interp.eval("package versions tls") == ""
    return interp


def test_the_standin_provides_tls_init(without_tcl_tls):
    interp = without_tcl_tls
    assert interp.eval("package require tls") == "1.7.22"
    assert interp.eval("info commands ::tls::init") == "::tls::init"
    interp.eval("tls::init -cafile /nonexistent.pem -require 1")
    assert interp.eval("set ::tls::defaults") == "-cafile /nonexistent.pem -require 1"
    # tcl-tls's own errors
    assert interp.eval("catch {tls::init -bogus 1} m; set m").startswith('bad option "-bogus": must be one of')
    assert interp.eval("catch {tls::init -cafile} m; set m") == '"-cafile" option must be followed by value'
    assert "stand-in" in interp.eval("catch {tls::socket host 465} m; set m")


def test_the_standins_settings_are_honoured(without_tcl_tls, certs, tmp_path):
    interp = without_tcl_tls
    other = tmp_path / "other.pem"
    trustme.CA().cert_pem.write_to_path(str(other))
    with RecordingServer(tls_context=certs.server_context) as s:
        options = f"-servers 127.0.0.1 -ports {s.port}"
        interp.eval(f"package require tls; tls::init -cafile {{{other}}} -require 1")
        code, message = interp.eval(SEND.format(options=options)).split(" ", 1)
        assert code == "1" and "certificate verify failed" in message
        interp.eval(f"tls::init -cafile {{{certs.cafile}}} -require 1")
        assert interp.eval(SEND.format(options=options)) == "0 {}"
        assert len(s.deliveries) == 1


def test_real_tcl_tls_is_preferred_where_installed():
    interp = tkinter.Tcl()
    tclsmtp.install(interp)
    interp.eval("package require tls")
    # Debian's tcl-tls: a compiled tls::socket, not the stand-in's refusal
    assert "stand-in" not in interp.eval("catch {tls::socket -bogus} m; set m")


def test_route_to_an_implicit_tls_server(certs):
    with RecordingServer(tls_context=certs.server_context, implicit_tls=True) as s:
        interp = tkinter.Tcl()
        tclsmtp.install(interp, route=("127.0.0.1", s.port))
        result = interp.eval(SEND.format(options="-servers smtp.invalid -ports 465 -tlsimport 1"))
        assert result == "0 {}"
        assert len(s.deliveries) == 1
