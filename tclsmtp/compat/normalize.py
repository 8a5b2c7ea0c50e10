"""The values that differ on every run, and how the harness neutralizes them.

Each rule replaces a run-dependent value with a marker that keeps what can
still be compared (which occurrences are the same value, the value's
format); everything else is compared byte for byte. One Normalizer is used
per side, over that side's outputs in a fixed order, so "the second
distinct boundary" means the same thing on both sides.

Rules (docs/compat-harness.md explains each):

- tcllib's generated IDs `<PID.SECONDS.N@HOST>` (Message-ID, Content-ID,
  mime::uniqueID) become `<ID-k>`, k numbering distinct IDs by first
  appearance.
- tcllib's generated boundaries `----- =_<base64 of an MD5>` become
  `<BOUNDARY-k>` the same way.
- A date within two days of now (RFC 822 `Sat, 28 Nov 2026 14:54:06 +0000`,
  or `clock format`'s default `Sat Nov 28 14:54:06 UTC 2026`) becomes
  `<now: ...>` with the date's shape (`Www, 99 Mmm 9999 99:99:99 +9999`),
  so a missing zero-padding still shows. Fixed dates a script writes stay.
  So does a `clock seconds` (10 digits) or `clock milliseconds` (13
  digits) value of about now: `<now: clock seconds>`.
- `SIZE=N` of a MAIL FROM whose message was sent becomes
  `SIZE=<message length+k>`, k = N minus the length of the message as
  received, so a SIZE that moved only because an ID or the date got longer
  compares equal, and a wrongly computed one does not.
- With the redirect (no `{port}` in the arguments): the EHLO/HELO client
  name when it is `localhost` or this host's name, and the server in
  tcllib's `Trying SERVER...` debug line.
- CRAM-MD5/DIGEST-MD5/SCRAM/NTLM exchanges: the server's challenges and
  the client's answers (random); the outcome (235/535) stays.
- The recording server's port and the dead port in stdout/stderr; Tcl
  channel names (sock55d0c1a2b3c0, file5).
- Error traces (errorInfo): frames inward of the script's outermost
  mime::/smtp:: call, except those of the script's own procs (and the
  uplevel/eval frames that run them), and frames inside the packages' own
  procs (and tclsmtp's bridge): implementation, not behaviour.
- mime 1.7.0 (the Debian reference) writes a multipart boundary= parameter
  twice; 1.7.2 (which tclsmtp implements) once. 1.7.0's second one is
  always `CRLF;CRLF<14 spaces>boundary="Y"` (LF in text output), the one
  the body uses. On the reference side only: (a) right after a
  `boundary="X"`, the first is dropped, `boundary="Y"` kept in its place;
  (b) after other parameters, the `;` moves to the end of the line before,
  as 1.7.2 writes it. Nothing else is touched.
"""
from __future__ import annotations

import datetime as _dt
import re
import socket
from typing import Callable, Optional

MONTHS = {m: i for i, m in enumerate(
    "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split(), 1)}
_DAY = rb"(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)"
_MON = rb"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)"

RFC822_DATE = re.compile(
    rb"(" + _DAY + rb"), (\d{1,2}) (" + _MON + rb") (\d{4}) (\d{1,2}):(\d\d):(\d\d) ([+-]\d{4}|[A-Z]{1,5})")
CLOCK_DATE = re.compile(
    rb"(" + _DAY + rb") (" + _MON + rb") (\d{1,2}) (\d\d):(\d\d):(\d\d) ([A-Z][A-Za-z0-9+-]{0,5}) (\d{4})")
EPOCH = re.compile(rb"(?<![0-9.])(1[0-9]{9})([0-9]{3})?(?![0-9])")
TCLLIB_ID = re.compile(rb"<\d+\.\d+\.\d+@[^<>\s\"]*>")
TCLLIB_BOUNDARY = re.compile(rb"----- =_[A-Za-z0-9+/]{8,}=*")
# mime 1.7.0's copymessage appends `\n;\n<14 spaces>boundary="Y"` after the
# Content-Type getheader gave: after a boundary it had already written (a),
# or after other parameters (b), where 1.7.2 ends the line with ";".
DUPLICATE_BOUNDARY = re.compile(rb'boundary="[^"\r\n]*"\r?\n;(\r?\n {14}boundary="[^"\r\n]*")')
DETACHED_BOUNDARY = re.compile(rb'"\r?\n;(\r?\n {14}boundary=")')
CHANNEL = re.compile(rb"\b(sock|file)([0-9a-f]*[0-9][0-9a-f]*)\b")
EHLO_LINE = re.compile(rb"^((?:EHLO|HELO) )(\S+)", re.I)
DEBUG_EHLO = re.compile(rb"^(--> (?:EHLO|HELO) )(\S+)( \(wait upto)", re.M)
DEBUG_TRYING = re.compile(rb"^Trying (.*)\.\.\.$", re.M)
SIZE_VALUE = re.compile(rb"\bSIZE=(\d+)")

# SASL mechanisms whose exchange carries random values (server challenge,
# client nonce): only the exchange's shape and its outcome can be compared.
RANDOM_SASL = {b"CRAM-MD5", b"DIGEST-MD5", b"SCRAM-SHA-1", b"SCRAM-SHA-256", b"NTLM"}
AUTH_COMMAND = re.compile(rb"^AUTH (\S+)( \S+)?$", re.I)
DEBUG_SENT = re.compile(rb"^--> (.*?)( \(wait upto \d+ seconds\))$")

# tcllib's -debug output (smtp.tcl writes these, and nothing else, to stderr).
DEBUG_LINE = re.compile(r"^(Trying .*\.\.\.|--> .*|<-- .*|AUTH \S+ failed: .*|    \.\.\. .* \.\.\.)$")

# errorInfo frames of these procs are the packages' implementation.
PACKAGE_PROC = re.compile(r'^    \(procedure "(?:::)?(?:mime|smtp|tclsmtp|tclsmtp_compat|SASL|base64|md5)::')
FRAME_SPLIT = re.compile(r"\n    (while executing|invoked from within)\n")
# A frame whose command calls into the packages (the script's call).
PACKAGE_CALL = re.compile(r'^"(?:::)?(?:mime|smtp)::[\w:]')
SCRIPT_PROC = re.compile(r'^[ \t]*proc[ \t]+(\S+)', re.M)
PROC_LOCATION = re.compile(r'^    \(procedure "(?:::)?([^"]+)" line \d+\)$')
CALLER_BODY = re.compile(r'^    \("(?:uplevel|eval)" body line \d+\)$')


def script_procs(source: str) -> frozenset[str]:
    """Names of the procs a script defines (`proc NAME`), without a leading ::."""
    return frozenset(name.lstrip(":").strip("{}\"") for name in SCRIPT_PROC.findall(source))


def now_window(seconds: float = 2 * 86400) -> Callable[[_dt.datetime], bool]:
    now = _dt.datetime.now(_dt.timezone.utc)
    return lambda when: abs((when - now).total_seconds()) <= seconds


def _shape(text: bytes) -> bytes:
    """A date's format without its value: names become Www/Mmm, digits 9."""
    text = re.sub(_DAY, b"Www", text)
    text = re.sub(_MON, b"Mmm", text)
    return re.sub(rb"\d", b"9", text)


def host_names() -> set[bytes]:
    names = {"localhost", socket.gethostname()}
    try:
        names.add(socket.getfqdn())
    except OSError:
        pass
    return {n.encode() for n in names if n}


class Normalizer:
    """Run-dependent values of one side, replaced consistently."""

    def __init__(self, *, fix_duplicate_boundary: bool = False, redirect: bool = False,
                 ports: dict[int, str] | None = None,
                 script_procs: frozenset[str] = frozenset()) -> None:
        self.fix_duplicate_boundary = fix_duplicate_boundary
        self.script_procs = script_procs
        self.redirect = redirect
        self.ports = ports or {}
        self.ids: dict[bytes, bytes] = {}
        self.boundaries: dict[bytes, bytes] = {}
        self.sizes: dict[bytes, bytes] = {}     # b"SIZE=228" -> its rendering
        self.is_now = now_window()
        self.hosts = host_names()

    # -- single rules ---------------------------------------------------
    def _numbered(self, table: dict[bytes, bytes], label: bytes) -> Callable[[re.Match], bytes]:
        def sub(m: re.Match) -> bytes:
            value = m.group(0)
            if value not in table:
                table[value] = b"<%s-%d>" % (label, len(table) + 1)
            return table[value]
        return sub

    def _rfc822(self, m: re.Match) -> bytes:
        try:
            zone = m.group(8)
            offset = 0
            if zone[:1] in (b"+", b"-"):
                offset = (int(zone[1:3]) * 60 + int(zone[3:5])) * (1 if zone[:1] == b"+" else -1)
            when = _dt.datetime(int(m.group(4)), MONTHS[m.group(3).decode()], int(m.group(2)),
                                int(m.group(5)), int(m.group(6)), int(m.group(7)),
                                tzinfo=_dt.timezone(_dt.timedelta(minutes=offset)))
        except (ValueError, KeyError):
            return m.group(0)
        if not self.is_now(when):
            return m.group(0)
        return b"<now: " + _shape(m.group(0)) + b">"

    def _clock(self, m: re.Match) -> bytes:
        try:
            when = _dt.datetime(int(m.group(8)), MONTHS[m.group(2).decode()], int(m.group(3)),
                                int(m.group(4)), int(m.group(5)), int(m.group(6)))
        except (ValueError, KeyError):
            return m.group(0)
        # The zone is a name here; within a day either way is close enough.
        if not self.is_now(when.replace(tzinfo=_dt.timezone.utc)):
            return m.group(0)
        return b"<now: " + _shape(m.group(0)) + b">"

    def text(self, data: bytes) -> bytes:
        """The rules for any output: IDs, boundaries, dates."""
        if self.fix_duplicate_boundary:
            data = DUPLICATE_BOUNDARY.sub(lambda m: m.group(1).lstrip(b"\r\n "), data)
            data = DETACHED_BOUNDARY.sub(rb'";\1', data)
        data = TCLLIB_ID.sub(self._numbered(self.ids, b"ID"), data)
        data = TCLLIB_BOUNDARY.sub(self._numbered(self.boundaries, b"BOUNDARY"), data)
        data = RFC822_DATE.sub(self._rfc822, data)
        data = CLOCK_DATE.sub(self._clock, data)
        data = EPOCH.sub(self._epoch, data)
        return data

    def _epoch(self, m: re.Match) -> bytes:
        """`clock seconds` (or milliseconds) of about now: a timestamp."""
        when = _dt.datetime.fromtimestamp(int(m.group(1)), _dt.timezone.utc)
        if not self.is_now(when):
            return m.group(0)
        return b"<now: clock milliseconds>" if m.group(2) else b"<now: clock seconds>"

    def note_size(self, size: int, message: Optional[bytes]) -> None:
        """Remember how to render SIZE=size (message: as received, if it was sent)."""
        key = b"SIZE=%d" % size
        if message is None:
            self.sizes.setdefault(key, b"SIZE=<not compared: the message was not sent>")
        else:
            k = size - len(message)
            self.sizes[key] = b"SIZE=<message length%+d>" % k

    def sizes_in(self, data: bytes) -> bytes:
        return SIZE_VALUE.sub(lambda m: self.sizes.get(m.group(0), m.group(0)), data)

    def client_line(self, line: bytes) -> bytes:
        """A line the client sent on a connection."""
        line = self.sizes_in(self.text(line))
        if self.redirect:
            m = EHLO_LINE.match(line)
            if m and m.group(2).lower() in {h.lower() for h in self.hosts}:
                line = m.group(1) + b"<client>" + line[m.end(2):]
        return line

    def stream(self, data: bytes) -> bytes:
        """stdout or stderr."""
        data = self.sizes_in(self.text(data))
        data = b"\n".join(mask_sasl_debug(data.split(b"\n")))
        for port, label in self.ports.items():
            # Not inside a word: a hex dump (`3d43393d`) can hold the digits.
            data = re.sub(rb"(?<![0-9A-Za-z])%d(?![0-9A-Za-z])" % port, label.encode(), data)
        data = CHANNEL.sub(lambda m: m.group(1) + b"<N>", data)
        if self.redirect:
            hosts = {h.lower() for h in self.hosts}
            data = DEBUG_EHLO.sub(lambda m: m.group(1) + (b"<client>" if m.group(2).lower() in hosts
                                                          else m.group(2)) + m.group(3), data)
            data = DEBUG_TRYING.sub(b"Trying <server>...", data)
        return strip_package_frames(data, self.script_procs)


def mask_sasl_conversation(lines: list[tuple[str, bytes]]) -> list[tuple[str, bytes]]:
    """Replace the random parts of a CRAM-MD5/DIGEST-MD5/SCRAM/NTLM exchange.

    After `AUTH MECH` the server's 334 lines become `334 <challenge>` and
    the client's answers `<response>`, up to the server's final reply, which
    stays (235 or 535: whether the client answered right is compared).
    """
    out: list[tuple[str, bytes]] = []
    masking = False
    for who, line in lines:
        if who == "C":
            m = AUTH_COMMAND.match(line)
            if m and m.group(1).upper() in RANDOM_SASL:
                masking = True
                if m.group(2):
                    line = line[:m.end(1)] + b" <response>"
            elif masking:
                line = b"<response>"
        elif masking:
            if line.startswith(b"334"):
                line = b"334 <challenge>"
            else:
                masking = False
        out.append((who, line))
    return out


def mask_sasl_debug(lines: list[bytes]) -> list[bytes]:
    """The same for tcllib's -debug lines (--> sent, <-- received)."""
    out: list[bytes] = []
    masking = False
    for line in lines:
        sent = DEBUG_SENT.match(line)
        if sent:
            m = AUTH_COMMAND.match(sent.group(1))
            if m and m.group(1).upper() in RANDOM_SASL:
                masking = True
                if m.group(2):
                    line = b"--> " + sent.group(1)[:m.end(1)] + b" <response>" + sent.group(2)
            elif masking:
                line = b"--> <response>" + sent.group(2)
        elif masking and line.startswith(b"<-- "):
            if line.startswith(b"<-- 334"):
                line = b"<-- 334 <challenge>"
            else:
                masking = False
        out.append(line)
    return out


def _frame_location(chunk: str) -> str:
    """The '    (procedure "x" line 3)' line that ends a frame, if any."""
    last = chunk.rsplit("\n", 1)[-1]
    return last if last.startswith("    (") else ""


def strip_package_frames(data: bytes, procs: frozenset[str] = frozenset()) -> bytes:
    """Drop errorInfo frames that run inside the packages.

    A frame is the text between two "while executing"/"invoked from
    within" separators: the command, then its location. First, every frame
    inward of the script's outermost mime::/smtp:: call is dropped unless it
    runs in one of the script's own procs (``procs``): tcllib's traces hold
    its internal procs named unqualified (`(procedure "getheader" line 16)`),
    location-less frames it re-throws from a catch, and Tcl library procs
    it runs (`::tcl::clock::scan`); tclsmtp's hold none of these. Then
    frames located in a package proc are dropped, and so are frames with no
    proc of their own (an uplevel or eval body) that sit just inside one.
    The first frame kept is introduced by "while executing", as Tcl writes
    the innermost one.
    """
    text = data.decode("utf-8", "surrogateescape")
    if "\n    while executing\n" not in text:
        return data
    out: list[str] = []
    for block in _error_blocks(text):
        out.append(_strip_block(_strip_inward(block, procs)))
    return "".join(out).encode("utf-8", "surrogateescape")


def _strip_inward(text: str, procs: frozenset[str]) -> str:
    """Keep, inward of the outermost package call, only the script's frames.

    Walking inward from that call, a frame runs in the script's code when
    its location is one of the script's procs; an uplevel/eval body frame
    when its command calls a script proc (a callback) or the uplevel itself
    ran in script code; any other frame (a nested command, a loop body) in
    the same code as the frame around it.
    """
    parts = FRAME_SPLIT.split(text)
    head, rest = parts[0], parts[1:]
    frames = [(rest[i], rest[i + 1]) for i in range(0, len(rest), 2)]
    calls = [i for i, (_, chunk) in enumerate(frames) if PACKAGE_CALL.match(chunk)]
    if not calls or calls[-1] == 0:
        return text
    outermost = calls[-1]
    keep = [True] * len(frames)
    in_script = False                     # the package call's own body is not
    for i in range(outermost - 1, -1, -1):
        chunk = _frame_body(frames[i][1])
        location = _frame_location(chunk)
        proc = PROC_LOCATION.match(location)
        if proc:
            in_script = proc.group(1) in procs
        elif CALLER_BODY.match(location):
            words = chunk[1:].split(None, 1) if chunk.startswith('"') else []
            in_script = in_script or bool(words and words[0].lstrip(":") in procs)
        keep[i] = in_script
    kept = [f for f, k in zip(frames, keep) if k]
    if len(kept) == len(frames):
        return text
    out = head
    for n, (sep, chunk) in enumerate(kept):
        out += "\n    " + ("while executing" if n == 0 else sep) + "\n" + chunk
    return out


def _error_blocks(text: str) -> list[str]:
    """Split text so each errorInfo trace is one block (others pass through)."""
    # A trace starts with the message line(s) before "    while executing";
    # treating the whole text as one block is enough: separators only
    # occur inside traces.
    return [text]


def _strip_block(text: str) -> str:
    parts = FRAME_SPLIT.split(text)
    head, rest = parts[0], parts[1:]
    frames = [(rest[i], rest[i + 1]) for i in range(0, len(rest), 2)]
    if not frames:
        return text
    # The last frame may run on into unrelated output: keep its tail as is.
    keep = [True] * len(frames)
    for i in range(len(frames) - 1, -1, -1):
        chunk = frames[i][1]
        location = _frame_location(_frame_body(chunk))
        if PACKAGE_PROC.match(location):
            keep[i] = False
        elif not location.startswith(('    (procedure', '    (file')) and i + 1 < len(frames) \
                and not keep[i + 1]:
            keep[i] = False
    kept = [f for f, k in zip(frames, keep) if k]
    if len(kept) == len(frames):
        return text
    out = head
    for n, (sep, chunk) in enumerate(kept):
        out += "\n    " + ("while executing" if n == 0 else sep) + "\n" + chunk
    return out


def _frame_body(chunk: str) -> str:
    """A frame's own lines: the quoted command and, if present, its location."""
    lines = chunk.split("\n")
    body: list[str] = []
    for line in lines:
        body.append(line)
        if line.startswith("    (") and line.endswith(")"):
            break
    return "\n".join(body)
