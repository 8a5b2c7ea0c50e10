"""One SMTP connection, read and written the way tcllib's smtp does.

tcllib's ``talk``/``hear`` define what a script sees: the ``-debug`` lines,
the reply dict (``diagnostic D args A code C``), the timeouts (per reply
line, capped at 600 seconds), and the failure texts (``premature
end-of-file from server``, ``read from server timed out``, ``error reading
"sockNNN": ...``). Once a read has failed, every later read fails the same
way at once, as tcllib's sticky ``state(readable)`` does.
"""
from __future__ import annotations

import errno
import os
import queue
import re
import select
import socket
import threading
import time

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:          # ssl costs start-up time: imported when TLS is used
    import ssl
    from typing import Any, Callable, Iterable, Iterator, Optional

from ..errors import ScriptError
from ..mime.parse_tcl import array_order, trim
from .options import tcl_equal, tcl_greater, tcl_number
from ..tcllist import tcl_list

TIMER_CAP = 600          # tcllib: "if {$secs > 600} {set secs 600}"
TIMED_OUT = "read from server timed out"
EOF_TEXT = "premature end-of-file from server"

# Limits on what a server may send (tcllib has none: an endless "250-" reply
# or a line without end grows memory for ever). RFC 5321 lines are at most
# 512 bytes; these are far above any real server's.
MAX_LINE = 8192               # bytes in one reply line, without CR LF
MAX_REPLY_BYTES = 1 << 20     # bytes in one reply, all lines together
MAX_REPLY_LINES = 1000
SHOWN = 200                   # characters of an oversized reply in the error

# The most bytes written but not yet sent that the kernel queues for us
# (TCP_NOTSENT_LOWAT; Linux and macOS). Without a limit a large body fills
# the send buffer far beyond what the server's window takes, and the kernel
# sends that backlog whenever the server's reading opens the window, from
# the ACK it processes on the server's CPU: a 100 MB attachment to smtp-sink
# on this machine took 5% longer. Data in flight is not counted, so the
# limit bounds memory, not throughput. Limits of 4 to 64 KiB sent it equally
# fast, 128 KiB a little slower; the largest of those leaves our writer the
# fewest wake-ups on a fast network.
UNSENT_LIMIT = 64 * 1024
# The least bytes of body gathered for one write (a large body's pieces
# come from mime's writer ~256 KiB each, and go out as they come).
BODY_WRITE = 64 * 1024
_TCP_NOTSENT_LOWAT = getattr(socket, "TCP_NOTSENT_LOWAT", None)

# Tcl's own texts for errno values (Tcl_ErrnoMsg), where they differ from C's.
_TCL_ERRNO = {
    errno.ECONNRESET: "connection reset by peer",
    errno.EPIPE: "broken pipe",
    errno.ENOTCONN: "socket is not connected",
    errno.ETIMEDOUT: "connection timed out",
    errno.ECONNREFUSED: "connection refused",
    errno.EHOSTUNREACH: "host is unreachable",
    errno.ENETUNREACH: "network is unreachable",
    errno.ECONNABORTED: "software caused connection abort",
}


def tcl_errno_text(error: OSError) -> str:
    if error.errno in _TCL_ERRNO:
        return _TCL_ERRNO[error.errno]
    if type(error).__module__ == "ssl":
        return f"SSL error: {getattr(error, 'reason', None) or error}"
    if error.errno:
        return os.strerror(error.errno).lower()
    return str(error) or type(error).__name__


# A plain class, not a dataclass: importing dataclasses costs a tenth of a
# short script's start-up.
class Reply:
    """A server reply as tcllib's ``hear`` returns it, or a failure.

    ``form`` says how tcllib would serialize it: "hear" (an ``array get``:
    ``diagnostic D args A code C``), "talk" (``code 400 diagnostic D``, when
    a write failed) or "none" (``talk`` with 0 seconds reads nothing).

    Compared by value, with a readable repr (``Refusal.reply`` is public).
    """
    __slots__ = ("code", "diagnostic", "args", "form")
    code: int
    diagnostic: str
    args: list[str]
    form: str

    def __init__(self, code: int, diagnostic: str = "", args: Optional[list[str]] = None,
                 form: str = "hear") -> None:
        self.code = code
        self.diagnostic = diagnostic
        self.args = [] if args is None else args
        self.form = form

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Reply):
            return NotImplemented
        return (self.code, self.diagnostic, self.args, self.form) == \
            (other.code, other.diagnostic, other.args, other.form)

    def __repr__(self) -> str:
        return (f"Reply(code={self.code!r}, diagnostic={self.diagnostic!r}, args={self.args!r}, "
                f"form={self.form!r})")

    def tcl(self) -> str:
        if self.form == "none":
            return ""
        if self.form == "talk":
            return tcl_list(["code", str(self.code), "diagnostic", self.diagnostic])
        pairs = array_order([("args", tcl_list(self.args)), ("code", str(self.code)),
                             ("diagnostic", self.diagnostic)])
        return tcl_list([x for pair in pairs for x in pair])

    @property
    def text(self) -> str:
        """The diagnostic and the other lines' texts, one per line."""
        return "\n".join([self.diagnostic, *self.args])


def shown(text: str) -> str:
    """At most SHOWN characters of a server's text, for an error message."""
    return repr(text[:SHOWN]) + ("..." if len(text) > SHOWN else "")


class PlaintextBeforeTls(Exception):
    """The server sent something in clear right before the TLS handshake."""


class TimerError(Exception):
    """tcllib's ``after`` refused the timeout (an odd -maxsecs): a Tcl error."""

    def __init__(self, error: ScriptError) -> None:
        super().__init__(error.message)
        self.error = error


def timer_seconds(secs: str) -> float:
    """See _timer_seconds; the same few strings come back every send."""
    try:
        return _TIMER_SECONDS[secs]
    except KeyError:
        value = _timer_seconds(secs)        # raises TimerError, not cached
        if len(_TIMER_SECONDS) < 64:
            _TIMER_SECONDS[secs] = value
        return value


_TIMER_SECONDS: dict[str, float] = {}


def _is_zero(secs: str) -> bool:
    """``$secs == 0`` in Tcl (tcllib's talk then writes without reading)."""
    try:
        return _ZERO[secs]
    except KeyError:
        zero = tcl_equal(secs, "0")
        if len(_ZERO) < 64:
            _ZERO[secs] = zero
        return zero


_ZERO: dict[str, bool] = {}


def _timer_seconds(secs: str) -> float:
    """The timeout tcllib's hear arms for ``secs``; raises TimerError where
    tcllib's ``after [expr {$secs*1000}]`` fails."""
    if tcl_greater(secs, str(TIMER_CAP)):
        return TIMER_CAP
    value = tcl_number(secs)
    if value is None:
        raise TimerError(ScriptError('can\'t use non-numeric string as operand of "*"',
                                     ("ARITH", "DOMAIN", "non-numeric string")))
    if isinstance(value, float):
        ms = repr(value * 1000)
        raise TimerError(ScriptError(f'bad argument "{ms}": must be cancel, idle, info, or an integer',
                                     ("TCL", "LOOKUP", "INDEX", "argument", ms)))
    return max(value, 0)


class Wire:
    """A connection to one server; ``debug`` receives tcllib's -debug lines."""

    def __init__(self, debug: Optional[Callable[[str], None]] = None,
                 timer_cap: float = TIMER_CAP) -> None:
        self.debug = debug
        self.timer_cap = timer_cap
        self.sock: Optional[socket.socket] = None
        self.name = "sock0"          # what Tcl would call the channel
        self.buffer = bytearray()
        self.failed: Optional[str] = None   # sticky read failure
        # Why the connection could not be opened (for hints and the Python
        # API; the script sees tcllib's read error instead).
        self.connect_error: Optional[OSError] = None
        self.eof = False
        self.tls = False
        self.peer = ""               # the server's name, for our own errors
        self._scanned = 0            # bytes of the buffer known to hold no LF
        self.oversized = False       # a reply broke a limit (MAX_LINE, ...)
        self._timeout_set = -1.0     # what the socket's timeout is (-1: unknown)
        self.spin = 0.0              # seconds to poll for a reply before blocking
        self.local = False           # the server is on this machine (loopback)

    # -- connecting ---------------------------------------------------------

    def connect(self, host: str, port: int, timeout: float) -> None:
        """Open the TCP connection. A refused or unreachable server is not an
        error here: like tcllib's ``socket -async``, the failure shows when
        the greeting is read. Name resolution errors raise OSError."""
        self.peer = self.peer or host
        # (an ASCII name goes as bytes: as str, Python runs the idna codec
        # on it, whose first use costs a millisecond of a script's time)
        infos = socket.getaddrinfo(host.encode("ascii") if host.isascii() else host, port,
                                   type=socket.SOCK_STREAM)
        deadline = time.monotonic() + min(timeout, self.timer_cap)
        for family, kind, proto, _, address in infos:
            sock = socket.socket(family, kind, proto)
            self.name = f"sock{id(sock):x}"
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if _TCP_NOTSENT_LOWAT is not None:
                try:
                    sock.setsockopt(socket.IPPROTO_TCP, _TCP_NOTSENT_LOWAT, UNSENT_LIMIT)
                except OSError:
                    pass              # a kernel without it: the send is the same, a little slower
            try:
                sock.settimeout(max(deadline - time.monotonic(), 0.001))
                sock.connect(address)
            except socket.timeout as e:
                sock.close()
                self.connect_error = e
                self.failed = TIMED_OUT
                self._say(f"    ... {TIMED_OUT} ...")
                return
            except OSError as e:
                sock.close()
                self.connect_error = e
                continue
            self.sock = sock
            self.connect_error = None
            self._timeout_set = -1.0
            self.local = _is_loopback(str(address[0]))
            return
        # Tcl reports a failed asynchronous connect when it first reads.
        self.failed = f'error reading "{self.name}": socket is not connected'
        self._say(f"    ... {self.failed} ...")

    def start_tls(self, context: "ssl.SSLContext", server_hostname: Optional[str],
                  timeout: float) -> None:
        """Wrap the connection in TLS (STARTTLS, or -tlsimport's first byte).

        Whatever the server sent in clear before the handshake is refused
        (raises PlaintextBeforeTls), never read as a reply of the encrypted
        session: a man in the middle can append forged replies to the 220
        (STARTTLS response injection, Postfix's CVE-2011-0411)."""
        assert self.sock is not None
        pending = len(self.buffer)
        if not pending:
            self.sock.settimeout(0)        # a look, no wait
            try:
                pending = len(self.sock.recv(1, socket.MSG_PEEK))
            except (BlockingIOError, InterruptedError):
                pending = 0
        if pending:
            raise PlaintextBeforeTls(
                f"{self.peer or 'the server'} sent data in clear before the TLS handshake "
                "(replies forged by a man in the middle?)")
        self.sock.settimeout(min(timeout, self.timer_cap))
        self.sock = context.wrap_socket(self.sock, server_hostname=server_hostname)
        self._timeout_set = -1.0
        self.tls = True

    def close(self) -> None:
        if self.sock is not None:
            try:
                self.sock.close()
            except OSError:
                pass
            self.sock = None

    # -- tcllib's talk and hear -----------------------------------------------

    def _say(self, line: str) -> None:
        if self.debug is not None:
            self.debug(line)

    def announce(self, secs: str, command: str) -> None:
        """tcllib's -debug line for a command it sends."""
        self._say(f"--> {command} (wait upto {secs} seconds)")

    def talk(self, secs: str, command: str, *, shown: Optional[str] = None,
             meanwhile: Optional[Callable[[], None]] = None) -> Reply:
        """Send ``command`` and read the reply. ``shown`` replaces the command
        in the -debug line (secrets are not printed); ``meanwhile`` is done
        while the server answers."""
        self.announce(secs, command if shown is None else shown)
        no_wait = _is_zero(secs)
        # tcllib's abort (RSET, QUIT with 0 seconds) writes and goes: a
        # server that stopped reading must not hold it up.
        error = self.write(tcl_binary(command) + b"\r\n", 0.0 if no_wait else None)
        if error is not None:
            return Reply(400, error, form="talk")
        if no_wait:
            return Reply(0, form="none")
        if meanwhile is not None:
            meanwhile()
        return self.hear(secs)

    def write(self, data: bytes, timeout: Optional[float] = None) -> Optional[str]:
        """Write everything; a failure comes back as Tcl's message."""
        if self.sock is None:
            return f'can not find channel named "{self.name}"'
        try:
            # tcllib's writes never block (they are buffered); ours may, so
            # bound them (see _write_timeout).
            self._write_timeout(self.timer_cap if timeout is None else timeout)
            self.sock.sendall(data)
        except (socket.timeout, BlockingIOError):
            return f'error writing "{self.name}": connection timed out'
        except OSError as e:
            return f'error writing "{self.name}": {tcl_errno_text(e)}'
        return None

    def hear(self, secs: str, *, quiet: bool = False) -> Reply:
        """Read one reply (all its lines), each line within the timeout.
        ``quiet``: without -debug lines (a reply tcllib would not have had)."""
        if quiet and self.debug is not None:
            debug, self.debug = self.debug, None
            try:
                return self.hear(secs)
            finally:
                self.debug = debug
        seconds = min(timer_seconds(secs), self.timer_cap)
        say = self.debug
        code = 0
        diagnostic = ""
        args: list[str] = []
        count = size = 0
        while True:
            line = self._line(seconds)
            if line is None:
                return Reply(400, self.failed or TIMED_OUT, [])
            if say is not None:
                say(f"<-- {line}")
            count += 1
            size += len(line) + 2
            if count > MAX_REPLY_LINES or size > MAX_REPLY_BYTES:
                limit = (f"more than {MAX_REPLY_LINES} lines" if count > MAX_REPLY_LINES
                         else f"more than {MAX_REPLY_BYTES} bytes")
                self._too_long(f"reply from {self.peer} too long ({limit}), "
                               f"starting {shown(diagnostic)}")
                return Reply(400, self.failed or "", [])
            if len(line) < 3:
                return Reply(500, f"response too short: {line}", args)
            if count == 1:
                digits = line[:3]
                scanned = (int(digits) if digits.isdigit() and digits.isascii()
                           else _scan_int(digits))
                if scanned is None:
                    return Reply(500, f"unrecognizable code: {line}", args)
                code = scanned
                diagnostic = trim(line[4:])
            else:
                args.append(trim(line[4:]))
            if line[3:4] != "-":
                return Reply(code, diagnostic, args)

    def _line(self, seconds: float) -> Optional[str]:
        """The next line without its CR LF, or None (self.failed says why)."""
        if self.failed is not None:
            return None
        deadline = 0.0
        buffer = self.buffer
        while True:
            # each byte is looked at once: a long line is read in linear time
            end = buffer.find(b"\n", self._scanned)
            if end >= 0:
                raw = bytes(buffer[:end - 1 if end and buffer[end - 1] == 13 else end])
                del buffer[:end + 1]
                self._scanned = 0
                if len(raw) > MAX_LINE:
                    self._too_long(self._line_too_long(raw))
                    return None
                return raw.decode("latin-1")
            self._scanned = len(buffer)
            if len(buffer) > MAX_LINE + 1:          # + its CR
                self._too_long(self._line_too_long(bytes(buffer[:SHOWN * 2])))
                return None
            if self.eof:
                if buffer:                 # gets returns a last partial line
                    raw = bytes(buffer)
                    buffer.clear()
                    self._scanned = 0
                    return raw.decode("latin-1")
                self._fail(EOF_TEXT)
                return None
            if self.sock is None:
                self._fail(f'can not find channel named "{self.name}"')
                return None
            now = time.monotonic()
            if not deadline:
                deadline = now + seconds
            remaining = deadline - now
            if remaining <= 0:
                self._fail(TIMED_OUT)
                return None
            try:
                if self.spin and self.local:
                    self._await_reply(min(remaining, self.spin))
                self._read_timeout(remaining)
                chunk = self.sock.recv(65536)
            except socket.timeout:
                if deadline - time.monotonic() > 0:
                    continue               # a shorter timeout was set: wait on
                self._fail(TIMED_OUT)
                return None
            except OSError as e:
                self._fail(f'error reading "{self.name}": {tcl_errno_text(e)}')
                return None
            if not chunk:
                self.eof = True
            else:
                buffer += chunk

    def _await_reply(self, seconds: float) -> None:
        """Poll for up to ``seconds`` before the blocking read. A local
        server answers within tens of microseconds; a thread that blocks
        instead is woken by a wake-up from another CPU, which on a VM takes
        about as long again, twice a message (docs/architecture.md). (Only
        for a server on loopback: a distant one would only cost CPU.)"""
        sock = self.sock
        assert sock is not None
        if self.tls and sock.pending():              # type: ignore[attr-defined]
            return                                   # decrypted bytes wait already
        poller = select.poll()
        poller.register(sock, select.POLLIN)
        end = time.perf_counter() + seconds
        while not poller.poll(0) and time.perf_counter() < end:
            os.sched_yield()                         # a server on this CPU runs

    # Each settimeout is a system call and a send makes a dozen reads and
    # writes, with timeouts that alternate (600 s for commands, -maxsecs for
    # the final reply): a timeout already set is kept where it does no harm.

    def _read_timeout(self, remaining: float) -> None:
        """A read must not wait past its deadline; a shorter timeout is kept
        (_line then reads again until the deadline)."""
        current = self._timeout_set
        if current <= 0 or current > remaining + 0.01:
            self._set_timeout(remaining)

    def _write_timeout(self, seconds: float) -> None:
        """0: do not block (tcllib's abort). Otherwise at most ``seconds``
        (a server that stops reading must not hold a send longer), and at
        least a minute when more is asked: tcllib's own writes never block,
        so below that the bound is ours to choose."""
        current = self._timeout_set
        if seconds == 0:
            if current != 0:
                self._set_timeout(0)
        elif not min(seconds, 60.0) - 0.01 <= current <= seconds + 0.01:
            self._set_timeout(seconds)

    def _set_timeout(self, seconds: float) -> None:
        assert self.sock is not None
        self.sock.settimeout(seconds)
        self._timeout_set = seconds

    def _fail(self, text: str) -> None:
        self.failed = text
        self._say(f"    ... {text} ...")

    def _line_too_long(self, start: bytes) -> str:
        return (f"reply line from {self.peer} too long (more than {MAX_LINE} bytes), "
                f"starting {shown(start.decode('latin-1'))}")

    def _too_long(self, text: str) -> None:
        """A server that sends without end: stop reading, hang up."""
        self.oversized = True
        self.buffer.clear()
        self._scanned = 0
        self.close()
        self._fail(text)

    # -- DATA -------------------------------------------------------------------

    def send_message(self, data: MessageData, secs: str) -> Reply:
        """Write the message (dot-stuffed, bare LF made CRLF, ending in CRLF)
        and the final ".", then read the reply within ``secs`` (-maxsecs).

        The end of the data and the "." go out in one write with TCP_NODELAY,
        so the server is not left waiting on a delayed ACK (tcllib's two
        writes cost ~40 ms a message). Chunks are written as they come (the
        last ones held back for the "."), without gathering copies. A failed
        write comes back as tcllib's ``code 400 diagnostic {error writing ...}``.
        """
        timeout = self.timer_cap
        if not _is_zero(secs):
            try:
                timeout = min(timer_seconds(secs), self.timer_cap)
            except TimerError:
                pass                      # raised by hear, after the "." as in tcllib
        held: list[bytes] = []            # written with the next chunk or the "."
        held_size = 0
        previous: Optional[int] = None
        ahead = _ReadAhead(data, may_thread=lambda: read_ahead_pays(self.local, usable_cpus()))
        try:
            for stuffed, previous in ahead:
                if held_size >= BODY_WRITE:
                    error = self.write(held[0] if len(held) == 1 else b"".join(held), timeout)
                    if error is not None:
                        return Reply(400, error, form="talk")
                    held, held_size = [], 0
                held.append(stuffed)
                held_size += len(stuffed)
        finally:
            ahead.close()
        if previous != 10:                 # mail data must end with CRLF
            held.append(b"\r\n")
        self._say(f"--> . (wait upto {secs} seconds)")
        held.append(b".\r\n")
        error = self.write(b"".join(held), timeout)
        if error is not None:
            return Reply(400, error, form="talk")
        if _is_zero(secs):
            return Reply(0, form="none")
        return self.hear(secs)


def _is_loopback(address: str) -> bool:
    """127.0.0.0/8, ::1 or an IPv4-mapped 127.x (ipaddress costs a
    millisecond to load)."""
    return address.startswith(("127.", "::ffff:127.")) or address == "::1"


class MessageData:
    """The message for DATA: its chunks dot-stuffed (see stuff) as they are
    made, each with its last byte; ``made`` counts the bytes made.

    ``make_first()`` makes the first chunk (a small message's whole text)
    ahead, while the server answers DATA (and, pipelining, the commands
    before it): a local server takes about as long to answer as a small
    message takes to build, so the build costs no time
    (docs/architecture.md). A failure to make it is kept and raised where
    it would have been, after the 354."""
    __slots__ = ("_items", "_crlf", "_first", "made")

    def __init__(self, chunks: Iterable[bytes], crlf: bool = False) -> None:
        self._items = iter(chunks)
        self._crlf = crlf
        self._first: Optional[tuple] = None      # ("chunk", bytes) | ("end",) | ("error", e)
        self.made = 0

    def make_first(self) -> None:
        if self._first is None:
            try:
                self._first = ("chunk", next(self._items))
            except StopIteration:
                self._first = ("end",)
            except Exception as e:       # noqa: BLE001 - raised when iterated
                self._first = ("error", e)

    def _chunks(self) -> Iterator[bytes]:
        first, self._first = self._first, None
        if first is not None:
            if first[0] == "error":
                raise first[1]
            if first[0] == "end":
                return
            yield first[1]
        yield from self._items

    def __iter__(self) -> Iterator[tuple[bytes, int]]:
        previous: Optional[int] = None
        crlf = self._crlf
        for chunk in self._chunks():
            if chunk:
                self.made += len(chunk)
                yield stuff(chunk, previous, crlf), chunk[-1]
                previous = chunk[-1]

    def close(self) -> None:
        """Let go of what the chunks hold open (a -file body) when the
        message is not sent after all."""
        self._first = None
        close = getattr(self._items, "close", None)
        if close is not None:
            close()


def read_ahead_pays(local: bool, cpus: int) -> bool:
    """Whether a read-ahead thread can make a large send quicker. Encoding
    in a thread of its own while the socket write waits only pays when a
    CPU is free for it: with the server on this machine and two CPUs, the
    server is what the send waits for (our encoder is twice as quick as
    smtp-sink), and a third busy thread can only take its CPU from the
    server (a 100 MB attachment to a local smtp-sink was no quicker with it)."""
    return not local or cpus > 2


def usable_cpus() -> int:
    """The CPUs this process may run on (its affinity, else all)."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class _ReadAhead:
    """Iterates ``items`` with the next ones made in another thread while
    the socket write of this one waits (sendall lets go of the GIL): the
    base64 of a large attachment is encoded while the server reads.

    Small messages never start the thread: it starts after the first
    AHEAD items, if ``may_thread()`` (asked then) says so. Errors come out
    of ``__next__`` as raised; close() stops the producer when the consumer
    gives up (a failed write)."""

    AHEAD = 2                   # items (each ~256 KiB of message) kept ready

    def __init__(self, items: Iterable[Any],
                 may_thread: Callable[[], bool] = lambda: True) -> None:
        self._items = iter(items)
        self._taken = 0
        self._queue: Optional["queue.Queue[Any]"] = None
        self._stopped = False       # read by the producer thread
        self._may_thread: Optional[Callable[[], bool]] = may_thread
        self._threads = False

    def _threaded(self) -> bool:
        """may_thread's answer, asked once (when the first AHEAD are taken)."""
        if self._may_thread is not None:
            self._threads, self._may_thread = self._may_thread(), None
        return self._threads

    def __iter__(self) -> "_ReadAhead":
        return self

    def __next__(self) -> Any:
        if self._queue is None:
            if self._taken < self.AHEAD:
                self._taken += 1
                return next(self._items)
            if not self._threaded():
                return next(self._items)
            self._queue = queue.Queue(self.AHEAD)
            threading.Thread(target=self._produce, name="tclsmtp-read-ahead",
                             daemon=True).start()
        kind, value = self._queue.get()
        if kind == "item":
            return value
        if kind == "end":
            self._queue.put((kind, value))     # stays ended
            raise StopIteration
        raise value

    def _produce(self) -> None:
        assert self._queue is not None
        try:
            for item in self._items:
                if not self._offer(("item", item)):
                    return
            self._offer(("end", None))
        except BaseException as e:      # noqa: BLE001 - handed to the consumer
            self._offer(("error", e))

    def _offer(self, entry: tuple) -> bool:
        assert self._queue is not None
        while not self._stopped:
            try:
                self._queue.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def close(self) -> None:
        self._stopped = True


def _crlf(chunk: bytes) -> bytes:
    """Every LF not preceded by CR gets one (tcllib's regsub). Two C-speed
    scans decide; a regex with a look-behind took 1 s on 40 MB of base64."""
    if chunk.count(b"\n") == chunk.count(b"\r\n"):
        return chunk
    return chunk.replace(b"\r\n", b"\n").replace(b"\n", b"\r\n")


_NL_DOT = re.compile(rb"\n\.")


def stuff(chunk: bytes, previous: Optional[int], crlf: bool = False) -> bytes:
    """tcllib's regsubs on one chunk of the message: a LF not preceded by
    CR gets one (except a LF that starts the message), then every "\n." is
    doubled to "\n..". ``previous``: the last byte of the chunk before, None
    at the start of the message. ``crlf``: every LF has its CR already."""
    out = chunk if crlf else _crlf(chunk)
    if chunk[:1] == b"\n" and (previous is None or previous == 13):
        out = out[1:]                      # that LF had its CR, or starts the message
    if b"." not in out:
        # One memchr: base64 has no dots, and looking for "\n." stops at
        # every line end (a fifth of a large attachment's send).
        return out
    # Text has dots, rarely at a line's start: re finds a pattern that
    # starts with a newline ~4x quicker than replace's own search.
    if _NL_DOT.search(out) is not None:
        out = out.replace(b"\n.", b"\n..")
    if chunk[:1] == b"." and previous == 10:
        out = b"." + out
    return out


def tcl_binary(text: str) -> bytes:
    """What ``puts`` writes for ``text`` on a ``-translation binary``
    channel, as tcllib's socket is: the low byte of each character."""
    try:
        return text.encode("latin-1")
    except UnicodeEncodeError:
        return bytes(ord(c) & 0xFF for c in text)


def _scan_int(text: str) -> Optional[int]:
    """``scan $text %d``: leading blanks, a sign, digits; None if none."""
    s = text.lstrip(" \t\n\r\v\f")
    i = 0
    if s[:1] in ("+", "-"):
        i = 1
    j = i
    while j < len(s) and s[j].isdigit() and s[j].isascii():
        j += 1
    if j == i:
        return None
    return int(s[:j])
