"""Turning two runs into comparable sections, and sections into diffs."""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .normalize import DEBUG_LINE, Normalizer, mask_sasl_conversation
from .sides import SideResult
from .transcript import Conversation, Transaction, read_connection


@dataclass
class Section:
    """One thing compared: the same rendering of each side."""
    key: str                   # stable id: exit, stdout, stderr, debug, connection-1, message-1
    title: str
    reference: list[str]
    ours: list[str]
    counts: bool = True        # part of the verdict (False: shown only)

    @property
    def equal(self) -> bool:
        return self.reference == self.ours

    def diff(self) -> list[str]:
        return list(difflib.unified_diff(self.reference, self.ours,
                                         fromfile=f"tcllib: {self.title}",
                                         tofile=f"tclsmtp: {self.title}",
                                         lineterm="", n=3))


def escape(text: str) -> str:
    """Make control characters visible; the rendering stays one-to-one."""
    out = []
    for ch in text:
        o = ord(ch)
        if ch == "\t" or (32 <= o < 127) or o > 159 and not 0xDC80 <= o <= 0xDCFF:
            out.append(ch)
        elif ch == "\r":
            out.append("\\r")
        elif ch == "\n":
            out.append("\\n")
        elif 0xDC80 <= o <= 0xDCFF:                # a byte that is not UTF-8
            out.append(f"\\x{o - 0xDC00:02x}")
        else:
            out.append(f"\\x{o:02x}")
    return "".join(out)


def render(data: bytes, eol: bytes) -> list[str]:
    """Lines of data split at eol; a missing final eol is marked."""
    if not data:
        return []
    text_lines = data.split(eol)
    marker: list[str] = []
    if text_lines[-1] == b"":
        text_lines.pop()
    else:
        marker = ["<no newline at the end>"]
    return [escape(line.decode("utf-8", "surrogateescape")) for line in text_lines] + marker


@dataclass
class Observed:
    """A side's normalized outputs, ready to render."""
    side: SideResult
    conversations: list[Conversation]
    messages: list[Transaction]
    exit: list[str]
    stdout: list[str]
    stderr: list[str]
    debug: list[str]
    conversation_lines: list[list[str]] = field(default_factory=list)
    message_lines: list[list[str]] = field(default_factory=list)


def observe(side: SideResult, normalizer: Normalizer) -> Observed:
    """Read the connections and normalize everything, in a fixed order."""
    conversations = [read_connection(i, c) for i, c in enumerate(side.connections, 1)]
    transactions = [t for conv in conversations for t in conv.transactions]
    messages = [t for t in transactions if t.data is not None]
    # SIZE renderings first: they are computed from the raw lengths.
    for t in transactions:
        if t.size is not None:
            normalizer.note_size(t.size, t.data)
    # Messages first, so ID and boundary numbers follow the messages' order.
    message_lines = []
    for t in messages:
        head = [normalizer.client_line(t.mail)] + [normalizer.client_line(r) for r in t.rcpts]
        lines = ["envelope: " + escape(h.decode("utf-8", "surrogateescape")) for h in head]
        lines.append("reply to the final dot: " + (
            escape(t.reply.decode("utf-8", "surrogateescape")) if t.reply is not None
            else "(none)"))
        lines.append("---- the message as received ----")
        lines += render(normalizer.text(t.data or b""), b"\r\n")
        message_lines.append(lines)
    conversation_lines = []
    for conv in conversations:
        lines = []
        for who, line in mask_sasl_conversation(conv.lines):
            shown = normalizer.client_line(line) if who == "C" else normalizer.text(line)
            lines.append(f"{who}: " + escape(shown.decode("utf-8", "surrogateescape")))
        conversation_lines.append(lines)
    stdout = render(normalizer.stream(side.stdout), b"\n")
    err_lines = render(normalizer.stream(side.stderr), b"\n")
    debug = [line for line in err_lines if DEBUG_LINE.match(line)]
    stderr = [line for line in err_lines if not DEBUG_LINE.match(line)]
    if side.timed_out:
        exit_lines = ["killed: still running after the timeout"]
    else:
        exit_lines = [f"exit status {side.returncode}"]
    return Observed(side, conversations, messages, exit_lines, stdout, stderr, debug,
                    conversation_lines, message_lines)


def sections(ref: Observed, ours: Observed, *, ignore_debug: bool = False) -> list[Section]:
    """The sections compared, in reading order."""
    out = [
        Section("exit", "exit status", ref.exit, ours.exit),
        Section("stdout", "stdout", ref.stdout, ours.stdout),
        Section("stderr", "stderr (without -debug lines)", ref.stderr, ours.stderr),
        Section("debug", "-debug lines on stderr", ref.debug, ours.debug,
                counts=not ignore_debug),
    ]
    for i in range(max(len(ref.conversation_lines), len(ours.conversation_lines))):
        out.append(Section(f"connection-{i + 1}", f"SMTP connection {i + 1}",
                           _get(ref.conversation_lines, i), _get(ours.conversation_lines, i)))
    for i in range(max(len(ref.message_lines), len(ours.message_lines))):
        out.append(Section(f"message-{i + 1}", f"message {i + 1} (envelope and bytes)",
                           _get(ref.message_lines, i), _get(ours.message_lines, i)))
    return out


def _get(items: list[list[str]], i: int) -> list[str]:
    return items[i] if i < len(items) else ["(none: this run has fewer)"]


def diff_text(all_sections: list[Section]) -> str:
    """The unified diff of every counted section that differs ('' if none)."""
    lines: list[str] = []
    for s in all_sections:
        if s.counts and not s.equal:
            lines += s.diff()
    return "\n".join(lines) + ("\n" if lines else "")


def summary(all_sections: list[Section], limit: int = 3) -> str:
    """One line naming what differs and the first differing lines, for lists."""
    bad = [s for s in all_sections if s.counts and not s.equal]
    if not bad:
        return "match"
    minus = plus = None
    for line in bad[0].diff()[2:]:
        if line.startswith("-") and minus is None:
            minus = line[1:]
        elif line.startswith("+") and plus is None:
            plus = line[1:]
        if minus is not None and plus is not None:
            break
    names = ", ".join(s.title for s in bad[:limit]) + (" ..." if len(bad) > limit else "")
    first = f"; tcllib: {(minus if minus is not None else '(nothing)')[:110]!r}" \
            f" / tclsmtp: {(plus if plus is not None else '(nothing)')[:110]!r}"
    return f"differs in {names}{first}"
