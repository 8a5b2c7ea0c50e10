"""Fixtures shared by every test: interpreters, the reference, servers."""
from __future__ import annotations

import os
import tempfile
import tkinter

import pytest

import tclsmtp
from tclsmtp.server import RecordingServer

from reference import require_tcllib

# The tests must not read the developer's own accounts file (docs/accounts.md):
# no $TCLSMTP_CONFIG, and an empty user config directory, for this process
# and every tclsmtp it starts.
os.environ.pop("TCLSMTP_CONFIG", None)
os.environ["XDG_CONFIG_HOME"] = tempfile.mkdtemp(prefix="tclsmtp-tests-config-")


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
