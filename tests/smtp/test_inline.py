"""Sends on the interpreter's own thread: under `tclsmtp run` (the only
interpreter in its thread), when nothing in Tcl could run while a send
waits (no timer, channel handler, Tk, child interpreter), the conversation
runs on the script's thread instead of a worker's. The script still gets
its result once QUIT is written, not when the server answers it (tcllib
waits for that reply; ours is read by a worker), and the server still gets
its whole conversation. An interpreter a Python application embeds keeps
its workers: the application's other interpreters share its event loop."""
from __future__ import annotations

import threading
import tkinter

import pytest

import tclsmtp
from scripted import ScriptedServer
from tclsmtp.bridge import allow_inline_sends

SEND = ("smtp::sendmessage [mime::initialize -canonical text/plain -string hi] "
        "-servers 127.0.0.1 -ports {port} -originator me@example.com "
        "-header {{To a@example.com}}")


def _slow_goodbye(quit_heard: threading.Event, release: threading.Event,
                  replied: threading.Event):
    """A server that holds its QUIT reply until ``release``."""
    def serve(peer):
        peer.say("220 ready")
        for reply in ("250 hello", "250 sender ok", "250 recipient ok", "354 go on"):
            peer.hear()
            peer.say(reply)
        peer.hear_data()
        peer.say("250 queued")
        assert peer.hear() == "QUIT"
        quit_heard.set()
        release.wait(10)
        replied.set()
        peer.say("221 bye")
        assert peer.hear(timeout=10) is None     # the client closes after the reply
    return serve


@pytest.mark.parametrize("events", ["none", "timer", "child", "embedded"])
def test_the_result_does_not_wait_for_the_quit_reply(events, send_threads):
    quit_heard, release, replied = threading.Event(), threading.Event(), threading.Event()
    interp = tkinter.Tcl()
    session = tclsmtp.install(interp)
    if events != "embedded":
        allow_inline_sends(interp)               # as `tclsmtp run` does
    interp.eval("package require smtp; package require mime")
    if events == "timer":
        interp.eval("after 100000 {}")           # the send then runs on a worker
    elif events == "child":
        interp.eval("interp create child")       # (its timers are out of our sight)
    try:
        with ScriptedServer(_slow_goodbye(quit_heard, release, replied)) as server:
            assert interp.eval(SEND.format(port=server.port)) == ""
            assert not replied.is_set()          # the result came first
            assert quit_heard.wait(10)           # (QUIT is written, maybe not read yet)
            release.set()
            [peer] = server.peers
            for _ in range(1000):                # the worker reads the reply, closes
                if peer.done:
                    break
                threading.Event().wait(0.01)
            assert peer.done and peer.lines[-1] == "QUIT"
    finally:
        session.close()
    assert (send_threads == [threading.main_thread()]) == (events == "none")


@pytest.mark.parametrize("address", ["127.0.0.1", "127.9.8.7", "::1", "::ffff:127.0.0.1",
                                     "10.0.0.1", "::ffff:10.0.0.1", "fe80::1", "1.127.0.0",
                                     "::2", "128.0.0.1"])
def test_only_a_loopback_server_is_polled_for(address):
    # Polling for a reply pays only when the server is on this machine.
    import ipaddress
    from tclsmtp.smtp.wire import _is_loopback
    ip = ipaddress.ip_address(address)
    mapped = getattr(ip, "ipv4_mapped", None)
    assert _is_loopback(address) == (ip.is_loopback or bool(mapped and mapped.is_loopback))
