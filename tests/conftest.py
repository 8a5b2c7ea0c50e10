"""Fixtures shared by every test: interpreters, the reference, servers."""
from __future__ import annotations

import tkinter

import pytest

import tclsmtp
from tclsmtp.server import RecordingServer

from reference import require_tcllib


@pytest.fixture
def interp():
    """A fresh tkinter.Tcl() interpreter with tclsmtp installed."""
    t = tkinter.Tcl()
    tclsmtp.install(t)
    return t


@pytest.fixture
def server():
    """A recording SMTP server on loopback (plain, SIZE offered)."""
    with RecordingServer() as s:
        yield s


@pytest.fixture(scope="session")
def tcllib():
    """Fails (never skips) when the reference is missing: it is a setup bug."""
    require_tcllib()
