"""Properties of the mime parser: well-formed MIME survives it (the stdlib's
email package is the oracle), anything else fails only with a ScriptError,
and -file input is located rather than loaded."""
from __future__ import annotations

import base64
import email
import email.policy
import tracemalloc
from email.message import EmailMessage
from pathlib import Path

from hypothesis import HealthCheck, given, note, settings, strategies as st

from tclsmtp.errors import ScriptError
from tclsmtp.mime.parse_body import getbody
from tclsmtp.mime.parser import FileSlice, ParsedPart, parse, parse_file, parse_string

# ------------------------------------------------------------ random MIME trees

_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789",
                min_size=1, max_size=12)
_header_name = st.builds(lambda w: "X-" + w, _word)
_header_value = st.lists(_word, min_size=1, max_size=6).map(" ".join)
_text = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126) | st.just("\n"),
                max_size=300)


@st.composite
def _leaf(draw) -> EmailMessage:
    msg = EmailMessage()
    for name, value in draw(st.lists(st.tuples(_header_name, _header_value), max_size=3)):
        msg[name] = value
    if draw(st.booleans()):
        data = draw(st.binary(max_size=400))
        msg.set_content(data, maintype="application", subtype=draw(_word).lower())
    else:
        cte = draw(st.sampled_from(["7bit", "quoted-printable", "base64"]))
        body = draw(_text)
        msg.set_content(body if body.endswith("\n") else body + "\n", cte=cte)
    return msg


def _container(children: st.SearchStrategy[EmailMessage]) -> st.SearchStrategy[EmailMessage]:
    @st.composite
    def build(draw) -> EmailMessage:
        if draw(st.integers(0, 4)) == 0:
            msg = EmailMessage()
            msg["Subject"] = draw(_header_value)
            inner = draw(children)
            msg.set_content(inner)  # message/rfc822
            return msg
        msg = EmailMessage()
        msg.make_mixed()
        msg.set_param("boundary", "=_" + draw(_word) + "_" + str(draw(st.integers(0, 99999))))
        msg.replace_header("Content-Type", msg["Content-Type"].replace(
            "multipart/mixed", "multipart/" + draw(st.sampled_from(["mixed", "alternative", "related"]))))
        for child in draw(st.lists(children, min_size=1, max_size=4)):
            msg.attach(child)
        if draw(st.booleans()):
            msg.preamble = "preamble " + draw(_word)
        if draw(st.booleans()):
            msg.epilogue = "epilogue " + draw(_word)
        return msg
    return build()


_trees = st.recursive(_leaf(), _container, max_leaves=8)


def _same_tree(oracle: email.message.Message, part: ParsedPart) -> None:
    assert part.content == oracle.get_content_type()
    names = [k for k in oracle.keys()
             if k.lower() not in ("content-type", "content-transfer-encoding", "mime-version")]
    # tcllib keys headers by their lower-case name, spelled as first seen
    # (X-P then X-p: one header, X-P, with both values).
    first_spelling: dict[str, str] = {}
    for name in names:
        first_spelling.setdefault(name.lower(), name)
    assert [name for name, _ in part.headers] == list(first_spelling.values())
    for name, values in part.headers:
        assert values == [" ".join(str(v).split()) for v in oracle.get_all(name)]
    if oracle.is_multipart():
        children = oracle.get_payload()
        assert part.value == "parts" and len(part.parts) == len(children)
        for child, parsed in zip(children, part.parts):
            _same_tree(child, parsed)
    else:
        assert part.value in ("string", "file")
        assert getbody(part).encode("latin-1") == oracle.get_payload(decode=True)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_trees)
def test_well_formed_mime_survives(tmp_path_factory, msg: EmailMessage):
    # Nested multiparts need distinct boundaries to be well formed.
    for n, sub in enumerate(m for m in msg.walk() if m.is_multipart() and
                            m.get_content_maintype() == "multipart"):
        sub.set_boundary(f"{sub.get_boundary()}.{n}")
    data = msg.as_bytes(policy=email.policy.SMTP.clone(linesep="\n"))
    note(repr(data))
    oracle = email.message_from_bytes(data, policy=email.policy.compat32)
    _same_tree(oracle, parse_string(data))
    path = tmp_path_factory.mktemp("mime") / "m.eml"
    path.write_bytes(data)
    _same_tree(oracle, parse_file(str(path)))


# ------------------------------------------------------------ robustness

_lines = st.lists(st.sampled_from([
    "Content-Type: multipart/mixed; boundary=b", "Content-Type: message/rfc822",
    "Content-Transfer-Encoding: base64", "Content-Transfer-Encoding: quoted-printable",
    "--b", "--b--", "", " x", "X: y", "QUJD", "=4", "\r", "a:b", "Content-Type: multipart/x; boundary=\"\"",
]) | st.text(max_size=20), max_size=30)


def _all_bodies(part: ParsedPart) -> None:
    for decode in (False, True):
        try:
            getbody(part, decode=decode)
        except ScriptError as err:
            assert err.message
    for child in part.parts:
        _all_bodies(child)


def _parse_or_script_error(source) -> None:
    try:
        part = parse(source)
    except ScriptError as err:
        assert err.message
        return
    _all_bodies(part)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=2000))
def test_random_bytes_raise_only_script_errors(tmp_path_factory, data: bytes):
    _parse_or_script_error(data)
    path = tmp_path_factory.mktemp("raw") / "m.eml"
    path.write_bytes(data)
    _parse_or_script_error(path)


@settings(max_examples=300, deadline=None)
@given(_lines, st.sampled_from(["\n", "\r\n", "\r"]))
def test_random_mime_lines_raise_only_script_errors(tmp_path_factory, lines: list[str], end: str):
    text = end.join(lines)
    _parse_or_script_error(text)
    path = tmp_path_factory.mktemp("lines") / "m.eml"
    path.write_bytes(text.encode("utf-8"))
    _parse_or_script_error(path)


def test_unreadable_sources_are_script_errors(tmp_path: Path):
    try:
        parse(tmp_path / "missing.eml")
    except ScriptError as err:
        assert err.message == f'couldn\'t open "{tmp_path / "missing.eml"}": no such file or directory'
        assert err.errorcode == ("POSIX", "ENOENT", "no such file or directory")
    else:
        raise AssertionError("no error")
    try:
        parse(tmp_path)
    except ScriptError as err:
        assert err.message.endswith(": illegal operation on a directory")
        assert err.errorcode == ("POSIX", "EISDIR", "illegal operation on a directory")
    else:
        raise AssertionError("no error")


# ------------------------------------------------------------ -file is not loaded

def test_file_parts_are_located_not_loaded(tmp_path: Path):
    chunk = base64.encodebytes(bytes(range(256)) * 4096).decode()  # ~1.4 MB of lines
    attachment = chunk * 20  # ~28 MB
    text = ('Content-Type: multipart/mixed; boundary="xx"\n\n--xx\n\nhello\n--xx\n'
            "Content-Transfer-Encoding: base64\n\n" + attachment + "--xx--\n")
    path = tmp_path / "big.eml"
    path.write_text(text)
    tracemalloc.start()
    try:
        part = parse_file(str(path))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2_000_000, f"parse_file held {peak} bytes at once"
    body = part.parts[1].body
    assert isinstance(body, FileSlice)
    assert body.count == len(attachment) - 1  # the newline before "--xx--" is not the body's
    assert part.parts[1].size() == (body.count * 3 + 2) // 4
