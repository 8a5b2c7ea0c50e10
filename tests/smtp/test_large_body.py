"""Large -file attachments: SIZE= measured from the file (not encoded twice)
is the length the server receives, at and around tcllib's 32766-byte read
boundaries, and the attachment arrives intact (with and without the
read-ahead thread, the CR LF base64 lines included), and the kernel is not
left a large backlog of unsent body to send from the server's side."""
from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest

from tclsmtp.server import RecordingServer
from tclsmtp.smtp import wire

CHUNK = 32766      # tcllib's -file reads, each base64-encoded apart
SIZES = [40 * CHUNK, 40 * CHUNK + 1, 40 * CHUNK + 57, 64 * CHUNK - 1]


@pytest.fixture(scope="module")
def size_server():
    with RecordingServer(size=None) as plain, RecordingServer(size=200_000_000) as sized:
        yield plain, sized


@pytest.fixture(params=["read-ahead thread", "one thread"])
def read_ahead(request, monkeypatch):
    """The server is on loopback: a read-ahead thread runs only with more
    than two CPUs (wire.read_ahead_pays). Counts the threads started."""
    monkeypatch.setattr(wire, "usable_cpus", lambda: 8 if request.param == "read-ahead thread" else 2)
    started = []
    produce = wire._ReadAhead._produce
    monkeypatch.setattr(wire._ReadAhead, "_produce",
                        lambda self: (started.append(1), produce(self))[1])
    return request.param, started


@pytest.mark.parametrize("size", SIZES)
def test_size_is_what_arrives_and_the_file_arrives_intact(interp, tmp_path, size_server, size,
                                                           read_ahead):
    kind, started = read_ahead
    data = os.urandom(size)
    path = tmp_path / "attachment.bin"
    path.write_bytes(data)
    interp.eval("package require smtp; package require mime")
    for server in size_server:
        first = len(server.deliveries)
        interp.eval(f"""
            set att [mime::initialize -canonical application/octet-stream -encoding base64 -file {{{path}}}]
            set msg [mime::initialize -canonical multipart/mixed -parts [list \\
                [mime::initialize -canonical text/plain -string "attached."] $att]]
            smtp::sendmessage $msg -servers 127.0.0.1 -ports {server.port} \\
                -originator me@example.com -recipients you@example.com
            mime::finalize $msg -subordinates all""")
        [delivery] = server.deliveries[first:]
        assert delivery.message.get_payload()[1].get_payload(decode=True) == data
        if server.size:
            assert delivery.mail_options == [f"SIZE={len(delivery.data)}"]
    assert len(started) == (2 if kind == "read-ahead thread" else 0)


def test_the_read_ahead_thread_runs_where_a_cpu_is_free_for_it():
    assert wire.read_ahead_pays(local=False, cpus=1)        # the network is the wait
    assert wire.read_ahead_pays(local=True, cpus=4)
    assert not wire.read_ahead_pays(local=True, cpus=2)     # it would take the server's CPU


@pytest.mark.parametrize("threaded", [True, False])
def test_read_ahead_gives_every_item_in_order_and_the_error_where_it_was(threaded):
    def items():
        yield from range(10)
        raise OSError("disk gone")
    ahead = wire._ReadAhead(items(), may_thread=lambda: threaded)
    got = []
    with pytest.raises(OSError, match="disk gone"):
        for item in ahead:
            got.append(item)
    assert got == list(range(10))
    assert (ahead._queue is not None) == threaded


@pytest.mark.skipif(not hasattr(socket, "TCP_NOTSENT_LOWAT"), reason="no TCP_NOTSENT_LOWAT here")
def test_a_connection_keeps_little_of_the_body_unsent_in_the_kernel(size_server):
    """Linux's default lets a sender queue its whole send buffer unsent,
    which costs a local server's CPU (wire.UNSENT_LIMIT); a limit of a
    few KiB would only add wake-ups."""
    link = wire.Wire()
    link.connect("127.0.0.1", size_server[0].port, 5)
    try:
        unsent = link.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NOTSENT_LOWAT)
    finally:
        link.close()
    default = int(Path("/proc/sys/net/ipv4/tcp_notsent_lowat").read_text())
    assert 16 * 1024 <= unsent < default


def test_a_large_attachment_arrives_intact_over_starttls(interp, tmp_path, certs):
    """The body's writes, bounded in the kernel as above, go through TLS
    records: a server taking STARTTLS gets the file whole."""
    data = os.urandom(40 * CHUNK + 57)
    path = tmp_path / "attachment.bin"
    path.write_bytes(data)
    interp.eval("package require smtp; package require mime")
    with RecordingServer(tls_context=certs.server_context) as server:
        interp.eval(f"""
            set msg [mime::initialize -canonical application/octet-stream -encoding base64 \\
                -file {{{path}}}]
            smtp::sendmessage $msg -servers 127.0.0.1 -ports {server.port} \\
                -originator me@example.com -recipients you@example.com
            mime::finalize $msg""")
        [delivery] = server.deliveries
    assert delivery.message.get_payload(decode=True) == data
    assert "STARTTLS" in server.connections[-1].lines   # it went over TLS
