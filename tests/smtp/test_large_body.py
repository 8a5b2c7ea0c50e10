"""Large -file attachments: SIZE= measured from the file (not encoded twice)
is the length the server receives, at and around tcllib's 32766-byte read
boundaries, and the attachment arrives intact (the read-ahead thread and
the CR LF base64 lines included)."""
from __future__ import annotations

import os

import pytest

from tclsmtp.server import RecordingServer

CHUNK = 32766      # tcllib's -file reads, each base64-encoded apart
SIZES = [40 * CHUNK, 40 * CHUNK + 1, 40 * CHUNK + 57, 64 * CHUNK - 1]


@pytest.fixture(scope="module")
def size_server():
    with RecordingServer(size=None) as plain, RecordingServer(size=200_000_000) as sized:
        yield plain, sized


@pytest.mark.parametrize("size", SIZES)
def test_size_is_what_arrives_and_the_file_arrives_intact(interp, tmp_path, size_server, size):
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
