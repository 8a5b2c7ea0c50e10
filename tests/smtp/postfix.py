"""A real Postfix instance on a loopback port, for the tests that need a
production MTA rather than aiosmtpd.

It runs from a configuration directory of its own (``postfix -c DIR``),
never the system's: its own queue, an smtpd on 127.0.0.1:PORT, and the
virtual delivery agent putting every message for @example.com into one
maildir. Its log goes to DIR/maillog. The directory is made here, readable
by the postfix user (pytest's tmp_path is not). Needs root (Postfix's master drops to the
postfix user itself) and the postfix apt package (scripts/dev installs it).
"""
from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

POSTFIX = shutil.which("postfix") or "/usr/sbin/postfix"

MAIN_CF = """\
compatibility_level = 3.6
queue_directory = {dir}/queue
data_directory = {dir}/data
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = postfix.test
mydestination =
mynetworks = 127.0.0.0/8
relay_domains =
smtpd_recipient_restrictions = permit_mynetworks, reject
virtual_mailbox_domains = example.com
virtual_mailbox_base = {dir}/mail
virtual_mailbox_maps = static:sink/
virtual_uid_maps = static:{uid}
virtual_gid_maps = static:{gid}
alias_maps =
alias_database =
biff = no
in_flow_delay = 0s
maillog_file = /dev/stdout
"""

# Postfix's stock master.cf, trimmed to what delivery needs, nothing chrooted.
MASTER_CF = """\
127.0.0.1:{port} inet n - n - - smtpd
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
virtual   unix  -       n       n       -       -       virtual
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Postfix:
    """``with Postfix(tmp_dir) as mta:`` mta.port, mta.delivered(), mta.log()."""

    def __init__(self) -> None:
        # On tmpfs where there is one: Postfix syncs each queue file to disk
        # before it says 250 (17 ms a message on these machines).
        shm = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
        self.dir = Path(tempfile.mkdtemp(prefix="tclsmtp-postfix-", dir=shm))
        os.chmod(self.dir, 0o755)
        self.port = _free_port()
        self._proc: subprocess.Popen | None = None

    def __enter__(self) -> "Postfix":
        if not os.path.exists(POSTFIX):
            raise RuntimeError("postfix is not installed: apt-get install postfix (scripts/dev does)")
        if os.geteuid() != 0:
            raise RuntimeError("a private Postfix instance needs root")
        owner = pwd.getpwnam("postfix")
        for sub in ("queue", "data", "mail"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        os.chown(self.dir / "data", owner.pw_uid, owner.pw_gid)
        os.chown(self.dir / "mail", owner.pw_uid, owner.pw_gid)
        (self.dir / "main.cf").write_text(MAIN_CF.format(dir=self.dir, uid=owner.pw_uid,
                                                         gid=owner.pw_gid))
        (self.dir / "master.cf").write_text(MASTER_CF.format(port=self.port))
        with open(self.dir / "maillog", "wb") as log:
            self._proc = subprocess.Popen([POSTFIX, "-c", str(self.dir), "start-fg"],
                                          stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while True:
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return self
            except OSError:
                if self._proc.poll() is not None or time.monotonic() > deadline:
                    self.__exit__()
                    raise RuntimeError(f"postfix did not start:\n{self.log()}")
                time.sleep(0.05)

    def __exit__(self, *exc: object) -> None:
        if self._proc is not None:
            self._postfix("stop")
            try:
                self._proc.wait(30)
            except subprocess.TimeoutExpired:
                self._proc.kill()
            self._proc = None
        shutil.rmtree(self.dir, ignore_errors=True)

    def _postfix(self, command: str) -> None:
        subprocess.run([POSTFIX, "-c", str(self.dir), command], capture_output=True, timeout=60)

    def delivered(self) -> list[Path]:
        """The messages delivered to the maildir so far."""
        new = self.dir / "mail" / "sink" / "new"
        return sorted(new.iterdir()) if new.is_dir() else []

    def wait_delivered(self, count: int, timeout: float = 120) -> list[Path]:
        """The maildir's messages once there are ``count`` (or the timeout)."""
        deadline = time.monotonic() + timeout
        while len(found := self.delivered()) < count and time.monotonic() < deadline:
            time.sleep(0.05)
        return found

    def log(self) -> str:
        path = self.dir / "maillog"
        return path.read_text(errors="replace") if path.exists() else ""
