"""Fixtures for the accounts tests (helpers: accounts_support.py)."""
from __future__ import annotations

import os
import ssl
import textwrap
import tkinter
from pathlib import Path
from typing import Any, Optional

import pytest

import tclsmtp

from accounts_support import Certs


@pytest.fixture(scope="session")
def certs(tmp_path_factory) -> Certs:
    import trustme
    ca = trustme.CA()
    directory = tmp_path_factory.mktemp("accounts-tls")
    cafile = directory / "ca.pem"
    ca.cert_pem.write_to_path(str(cafile))
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ca.issue_cert("localhost", "127.0.0.1").configure_cert(ctx)
    return Certs(ca, cafile, ctx)


@pytest.fixture
def write_config(tmp_path):
    """write_config(text, mode=0o600) -> Path of an accounts file."""
    def write(text: str, mode: int = 0o600, name: str = "config.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        os.chmod(path, mode)
        return path
    return write


@pytest.fixture
def account_interp():
    """account_interp(config_path) -> a tkinter.Tcl() with tclsmtp installed
    to read that accounts file."""
    def make(config: Optional[Path]) -> Any:
        interp = tkinter.Tcl()
        tclsmtp.install(interp, config=config)
        return interp
    return make
