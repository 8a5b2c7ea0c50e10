"""-file bodies stream: writing a large attachment holds only small pieces."""
from __future__ import annotations

import base64
import email
import email.policy
import os
import tracemalloc

from tclsmtp import get_message
from tclsmtp.mime import iter_bytes

SIZE = 24 * 1024 * 1024


def _make(interp, path) -> str:
    interp.eval("package require mime")
    return interp.eval(
        "mime::initialize -canonical multipart/mixed -parts [list "
        "[mime::initialize -canonical text/plain -string {see attachment}] "
        f"[mime::initialize -canonical application/octet-stream -file {{{path}}}]]")


def test_iter_bytes_streams_a_large_file(interp, tmp_path):
    path = tmp_path / "big.bin"
    data = os.urandom(SIZE)
    path.write_bytes(data)
    msg = get_message(interp, _make(interp, path))
    del data
    tracemalloc.start()
    try:
        sizes = []
        with open(tmp_path / "out.eml", "wb") as out:
            for chunk in iter_bytes(msg):
                sizes.append(len(chunk))
                out.write(chunk)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert max(sizes) < 2 * 1024 * 1024
    assert peak < 8 * 1024 * 1024, f"peak Python allocation {peak} bytes for a {SIZE}-byte body"
    parsed = email.message_from_bytes((tmp_path / "out.eml").read_bytes(), policy=email.policy.default)
    attachment = list(parsed.iter_parts())[1]
    assert attachment.get_content() == path.read_bytes()


def test_copymessage_streams_a_large_file(interp, tmp_path):
    path = tmp_path / "big.bin"
    path.write_bytes(os.urandom(SIZE))
    token = _make(interp, path)
    out = tmp_path / "out.eml"
    tracemalloc.start()
    try:
        interp.eval(f"set f [open {{{out}}} w]; fconfigure $f -translation crlf; "
                    f"mime::copymessage {token} $f; close $f")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 * 1024 * 1024
    body = out.read_bytes().split(b"\r\n\r\n")[-1].rsplit(b"\r\n--", 1)[0]
    assert base64.b64decode(body) == path.read_bytes()
