"""A tiny line-based server for conversations aiosmtpd will not hold.

Each accepted connection runs ``serve(peer)`` in its own thread. The test's
function says and reads lines itself, so it can stall, refuse STARTTLS,
drop the connection mid-DATA, and so on. What the client sent is recorded.
"""
from __future__ import annotations

import socket
import threading
from typing import Callable, Optional


class Peer:
    """One client connection, from the server's side."""

    def __init__(self, sock: socket.socket) -> None:
        self.sock = sock
        self.buffer = b""
        self.lines: list[str] = []      # every line the client sent
        self.done = False

    def say(self, *lines: str) -> None:
        self.sock.sendall(b"".join(line.encode("latin-1") + b"\r\n" for line in lines))

    def hear(self, timeout: float = 30) -> Optional[str]:
        """The client's next line, or None at end of file."""
        self.sock.settimeout(timeout)
        while b"\n" not in self.buffer:
            try:
                chunk = self.sock.recv(65536)
            except OSError:
                return None
            if not chunk:
                return None
            self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        text = line.rstrip(b"\r").decode("latin-1")
        self.lines.append(text)
        return text

    def hear_data(self) -> list[str]:
        """Lines up to the lone "." that ends DATA (the dot not included)."""
        body = []
        while True:
            line = self.hear()
            if line is None or line == ".":
                return body
            body.append(line)

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass


class ScriptedServer:
    """Listens on 127.0.0.1; runs ``serve(peer)`` for every connection."""

    def __init__(self, serve: Callable[[Peer], None]) -> None:
        self.serve = serve
        self.listener = socket.socket()
        self.listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(16)
        self.port = self.listener.getsockname()[1]
        self.peers: list[Peer] = []
        self._stop = False
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def _accept(self) -> None:
        while not self._stop:
            try:
                sock, _ = self.listener.accept()
            except OSError:
                return
            peer = Peer(sock)
            self.peers.append(peer)
            threading.Thread(target=self._run, args=(peer,), daemon=True).start()

    def idle(self) -> bool:
        """No connection is being served any more."""
        return all(p.done for p in self.peers)

    def _run(self, peer: Peer) -> None:
        try:
            self.serve(peer)
        except OSError:
            pass                    # the client hung up: what it sent is recorded
        finally:
            peer.close()
            peer.done = True

    @property
    def client_lines(self) -> list[list[str]]:
        return [p.lines for p in self.peers]

    def __enter__(self) -> "ScriptedServer":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop = True
        self.listener.close()


def dead_port() -> int:
    """A loopback port nobody listens on (connections are refused)."""
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def converse(peer: Peer, greeting: str, replies: dict[str, tuple[str, ...]]) -> None:
    """A small SMTP server: greets, accepts DATA and QUIT, answers the
    commands in ``replies`` (matched by their first word) with their lines,
    and everything else with 250."""
    peer.say(greeting)
    while (line := peer.hear()) is not None:
        verb = line.split(" ", 1)[0]
        if verb in replies:
            peer.say(*replies[verb])
        elif line == "DATA":
            peer.say("354 go")
            peer.hear_data()
            peer.say("250 ok")
        elif line == "QUIT":
            peer.say("221 bye")
            return
        else:
            peer.say("250 ok")
