"""The helper's frames (tcl/helper.tcl writes and reads the other end).

A frame is one ASCII header line ``KIND ID LEN...`` followed by the fields,
LEN bytes each. Fields are UTF-8 as Tcl's ``encoding convertto utf-8``
writes any Tcl string (a NUL is one 0x00 byte; a byte array's bytes 0x80 to
0xFF are two bytes each), so every value crosses whole, as text.
"""
from __future__ import annotations

import os
from typing import Optional

from ..mime.charsets import tkinter_form
from ..tcllist import tcl_list

Frame = tuple[str, str, list[str]]     # kind, id, fields


class PipeClosed(BaseException):
    """The interpreter closed its end (it exited, died or dropped us).

    A BaseException: it must pass through primitives.answer (which turns
    every Exception into an error answer) from a wait inside a send."""


def decode(data: bytes) -> str:
    """A field as Python text, as the tkinter bridge would give it: Tcl's
    lone surrogates as such; bytes that are not UTF-8 surrogate-escaped."""
    try:
        return data.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:
        return data.decode("utf-8", "surrogateescape")


def encode(text: str) -> bytes:
    """Python text for Tcl's ``encoding convertfrom utf-8``."""
    return tkinter_form(text).encode("utf-8", "surrogateescape")


def as_text(value: object) -> str:
    """A primitive's result as Tcl sees it: bytes as a byte string, lists
    as Tcl lists, booleans as 1/0 (as tkinter passes them)."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray)):
        return bytes(value).decode("latin-1")
    if isinstance(value, (list, tuple)):
        return tcl_list([as_text(v) for v in value])
    if isinstance(value, bool):
        return "1" if value else "0"
    if value is None:
        return ""
    return str(value)


class Pipe:
    """Frames over two file descriptors (the helper's stdin and stdout)."""

    def __init__(self, fd_in: int, fd_out: int) -> None:
        self.fd_in = fd_in
        self.fd_out = fd_out
        self._buffer = bytearray()
        self._short = 0              # bytes the buffered frame still lacks

    def fill(self) -> None:
        """Read what is there (blocking until something is). A read of 64
        KiB or less comes from malloc's heap; a read of 1 MiB for every
        small frame cost an mmap, an mremap and a munmap. A large frame
        is read in as large pieces as it still lacks."""
        data = os.read(self.fd_in, max(self._short, 1 << 16))
        if not data:
            raise PipeClosed()
        self._buffer += data

    def take(self) -> Optional[Frame]:
        """The next whole frame in the buffer, if there is one."""
        end = self._buffer.find(b"\n")
        if end < 0:
            return None
        header = self._buffer[:end].decode("ascii").split()
        lengths = [int(n) for n in header[2:]]
        short = end + 1 + sum(lengths) - len(self._buffer)
        if short > 0:
            self._short = short
            return None
        self._short = 0
        fields, at = [], end + 1
        for n in lengths:
            fields.append(decode(bytes(self._buffer[at:at + n])))
            at += n
        del self._buffer[:at]
        return header[0], header[1], fields

    def read(self) -> Frame:
        """The next frame (blocking)."""
        while True:
            frame = self.take()
            if frame is not None:
                return frame
            self.fill()

    def write(self, kind: str, call_id: str, fields: list[str]) -> None:
        data = [encode(f) for f in fields]
        header = " ".join([kind, call_id, *(str(len(d)) for d in data)]) + "\n"
        out = memoryview(b"".join([header.encode("ascii"), *data]))
        while out:
            try:
                written = os.write(self.fd_out, out)
            except BrokenPipeError:
                raise PipeClosed() from None
            out = out[written:]
