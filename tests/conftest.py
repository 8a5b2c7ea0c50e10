"""Fixtures shared by every test: interpreters, the reference, servers."""
from __future__ import annotations

import gc
import os
import tempfile
import tkinter

import pytest

import tclsmtp
from tclsmtp.server import RecordingServer

from reference import require_tcllib

# The tests must not read the developer's own accounts file or token caches
# (docs/accounts.md), nor leave caches in their home: no $TCLSMTP_CONFIG,
# and empty user directories, for this process and every tclsmtp it starts.
os.environ.pop("TCLSMTP_CONFIG", None)
_HOME = tempfile.mkdtemp(prefix="tclsmtp-tests-home-")
for _name in ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_CACHE_HOME"):
    os.environ[_name] = os.path.join(_HOME, _name.lower())


@pytest.fixture(scope="module", autouse=True)
def _free_garbage_in_the_main_thread():
    """After each test module, collect its cyclic garbage here, in the main
    thread. A tkinter interpreter left in a cycle is otherwise freed by
    whichever thread the collector next runs in (a recording server's), and
    Tcl aborts the process when an interpreter is deleted outside its thread."""
    yield
    gc.collect()


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
