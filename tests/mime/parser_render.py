"""Renders the Python parser's result the way tests/mime/parse_walk.tcl prints
tcllib's (hex of UTF-8 text, one line per fact), so the two compare as text."""
from __future__ import annotations

from pathlib import Path

from tclsmtp.errors import ScriptError
from tclsmtp.mime.charsets import convertfrom
from tclsmtp.mime.parse_body import getbody
from tclsmtp.mime.parser import ParsedPart, parse_file, parse_string

WALK_SCRIPT = Path(__file__).with_name("parse_walk.tcl")
CORPUS = Path(__file__).with_name("corpus")
MODES = ("file", "bytes", "utf8")


def hx(s: str) -> str:
    return s.encode("utf-8", "surrogatepass").hex()


def tcl_list(words: tuple[str, ...]) -> str:
    """Enough of Tcl's list quoting for error codes."""
    return " ".join("{%s}" % w if (not w or any(c in w for c in " \t\n{}\"\\")) else w
                    for w in words)


def _try(out: list[str], label: str, fn) -> None:
    try:
        out.append(f"{label} {hx(fn())}")
    except ScriptError as err:
        out.append(f"{label}-error {hx(err.message)} {tcl_list(err.errorcode)}")


def _walk(part: ParsedPart, suffix: str, indent: str, out: list[str]) -> None:
    out.append(f"{indent}part {suffix}")
    out.append(f"{indent}content {hx(part.content)}")
    out.append(f"{indent}encoding {hx(part.encoding)}")
    for k, v in part.params:
        out.append(f"{indent}param {hx(k)} {hx(v)}")
    out.append(f"{indent}size {part.size()}")
    out.append(f"{indent}version {hx(part.version)}")
    for name, values in part.headers:
        out.append(f"{indent}header {hx(name)}")
        for value in values:
            out.append(f"{indent}  value {hx(value)}")
    if part.value != "parts":
        _try(out, f"{indent}body", lambda: getbody(part))
        _try(out, f"{indent}body100", lambda: getbody(part, blocksize=100))
        _try(out, f"{indent}decoded", lambda: getbody(part, decode=True))
    else:
        out.append(f"{indent}parts {len(part.parts)}")
        _try(out, f"{indent}leafbody", lambda: getbody(part))
        for child in part.parts:
            _walk(child, f"{suffix}-{child.cid}", indent + "  ", out)


def parse_mode(path: Path, mode: str) -> ParsedPart:
    """What ``mime::initialize`` parses in parse_walk.tcl's ``mode``."""
    if mode == "file":
        return parse_file(str(path))
    data = path.read_bytes()
    if mode == "bytes":
        return parse_string(data)
    return parse_string(convertfrom("utf-8", data))


def render(paths: list[Path]) -> str:
    out: list[str] = []
    for path in paths:
        for mode in MODES:
            out.append(f"== {path.name} {mode}")
            try:
                part = parse_mode(path, mode)
            except ScriptError as err:
                out.append(f"init-error {hx(err.message)} {tcl_list(err.errorcode)}")
                continue
            _walk(part, "", "", out)
    return "".join(line + "\n" for line in out)


def sections(text: str) -> dict[str, str]:
    """``{"name mode": lines}`` from a walk's output."""
    result: dict[str, str] = {}
    key = None
    for line in text.splitlines(keepends=True):
        if line.startswith("== "):
            key = line[3:].strip()
            result[key] = ""
        elif key is not None:
            result[key] += line
    return result


def unhex_lines(text: str) -> str:
    """The walk with hex fields shown as text, for readable assertion diffs."""
    shown = []
    for line in text.splitlines():
        words = line.split(" ")
        if line.split()[:1] in (["size"], ["part"], ["parts"]):
            shown.append(line)
            continue
        for i, w in enumerate(words):
            if w and len(w) % 2 == 0 and all(c in "0123456789abcdef" for c in w) and i:
                try:
                    words[i] = repr(bytes.fromhex(w).decode("utf-8", "replace"))[:300]
                except ValueError:
                    pass
        shown.append(" ".join(words))
    return "\n".join(shown)
