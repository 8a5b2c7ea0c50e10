"""The EmailMessage behind a token, both ways, checked with Python's email package."""
from __future__ import annotations

import email
import email.policy
from email.message import EmailMessage

import pytest

import tclsmtp
from tclsmtp import get_message, make_token
from tclsmtp.mime import MimePart, iter_bytes

BUILD = r'''
package require mime
set a [mime::initialize -canonical text/plain -param {charset UTF-8} \
        -string [encoding convertto utf-8 "caf\u00e9 body\nsecond line"]]
set b [mime::initialize -canonical image/png \
        -header {Content-Disposition {attachment; filename="x.png"}} -string "\x89PNG\x00\x01\xff"]
set m [mime::initialize -canonical multipart/mixed -parts [list $a $b]]
mime::setheader $m Subject "hello there"
mime::setheader $m To "a@example.org"
set m
'''


@pytest.fixture
def built(interp):
    token = interp.eval(BUILD)
    return interp, token, get_message(interp, token)


def test_tcl_message_reads_as_email_message(built):
    interp, token, msg = built
    assert isinstance(msg, MimePart) and isinstance(msg, EmailMessage)
    assert msg["Subject"] == "hello there" and msg["to"] == "a@example.org"
    assert msg["MIME-Version"] == "1.0"
    assert msg.get_content_type() == "multipart/mixed" and msg.is_multipart()
    text, image = list(msg.iter_parts())
    assert text.get_content() == "café body\nsecond line"
    assert image.get_content() == b"\x89PNG\x00\x01\xff"
    assert image.get_filename() == "x.png"
    assert [a.get_filename() for a in msg.iter_attachments()] == ["x.png"]
    assert msg.get_body(("plain",)) is text
    assert [p.get_content_type() for p in msg.walk()] == ["multipart/mixed", "text/plain", "image/png"]


def test_bytes_are_buildmessage(built):
    interp, token, msg = built
    tcl = interp.tk.call("mime::buildmessage", token)
    assert bytes(msg) == tcl == msg.as_bytes() == b"".join(iter_bytes(msg))
    parsed = email.message_from_bytes(bytes(msg), policy=email.policy.default)
    assert [p.get_content_type() for p in parsed.walk()] == ["multipart/mixed", "text/plain", "image/png"]
    assert parsed["Subject"] == "hello there"
    assert parsed.get_body(("plain",)).get_content().replace("\r\n", "\n") == "café body\nsecond line"
    assert next(parsed.iter_attachments()).get_content() == b"\x89PNG\x00\x01\xff"


def test_python_header_changes_reach_tcl(built):
    interp, token, msg = built
    msg["X-Python"] = "set in python"
    msg.replace_header("Subject", "changed")
    del msg["To"]
    assert interp.eval(f"mime::getheader {token} X-Python") == "{set in python}"
    assert interp.eval(f"mime::getheader {token} Subject") == "changed"
    assert "To" not in interp.eval(f"mime::getheader {token} -names")
    with pytest.raises(ValueError):
        msg["Subject"] = "a second subject"  # EmailMessage allows one
    interp.eval(f"mime::setheader {token} Subject fromtcl")
    assert msg["Subject"] == "fromtcl"


def test_token_parts_are_the_python_parts(built):
    interp, token, msg = built
    tokens = interp.tk.splitlist(interp.eval(f"mime::getproperty {token} parts"))
    assert [get_message(interp, t) for t in tokens] == list(msg.iter_parts())


def _python_message() -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = "Jane <jane@example.org>"
    msg["To"] = "joe@example.org"
    msg["Subject"] = "Grüße und mehr"
    msg.set_content("plain text body\nwith two lines\n")
    msg.add_alternative("<p>html body</p>\n", subtype="html")
    msg.add_attachment(bytes(range(256)), maintype="application", subtype="octet-stream",
                       filename="all-bytes.bin")
    inner = EmailMessage()
    inner["Subject"] = "inner"
    inner.set_content("inner text\n")
    msg.add_attachment(inner)
    return msg


def test_python_message_gets_a_working_token(interp):
    interp.eval("package require mime")
    msg = _python_message()
    token = make_token(interp, msg)
    assert interp.eval(f"mime::getproperty {token} content") == "multipart/mixed"
    parts = interp.tk.splitlist(interp.eval(f"mime::getproperty {token} parts"))
    assert [interp.eval(f"mime::getproperty {p} content") for p in parts] == \
        ["multipart/alternative", "application/octet-stream", "message/rfc822"]
    alt = interp.tk.splitlist(interp.eval(f"mime::getproperty {parts[0]} parts"))
    assert interp.eval(f"mime::getbody {alt[0]} -decode") == "plain text body\nwith two lines\n"
    body = interp.eval(f"mime::getbody {parts[1]}")
    assert body.encode("latin-1") == bytes(range(256))
    assert interp.eval(f"mime::getheader {token} From") == "{Jane <jane@example.org>}"
    # Written by the tcllib-exact writer, read back by the stdlib: same message.
    built = interp.tk.call("mime::buildmessage", token)
    back = email.message_from_bytes(built, policy=email.policy.default)
    assert back["Subject"] == "Grüße und mehr"
    assert [p.get_content_type() for p in back.walk()] == [p.get_content_type() for p in msg.walk()]
    assert back.get_body(("plain",)).get_content().replace("\r\n", "\n") == "plain text body\nwith two lines\n"
    assert back.get_body(("html",)).get_content().replace("\r\n", "\n") == "<p>html body</p>\n"
    atts = list(back.iter_attachments())
    assert atts[0].get_content() == bytes(range(256)) and atts[0].get_filename() == "all-bytes.bin"
    assert atts[1].get_content()["Subject"] == "inner"
    # finalize takes the subordinate tokens with it
    interp.eval(f"mime::finalize {token}")
    for p in parts:
        assert interp.eval(f"catch {{mime::getproperty {p} content}}") == "1"


def test_mimepart_from_python_is_registered_once(interp):
    interp.eval("package require mime")
    part = MimePart()
    part["Subject"] = "made in python"
    part.set_payload("body\n")
    token = make_token(interp, part)
    assert make_token(interp, part) == token
    assert interp.eval(f"mime::getheader {token} Subject") == "{made in python}"
    assert interp.eval(f"mime::getbody {token}") == "body\n"
    assert get_message(interp, token) is part


def test_file_body_is_read_lazily_by_python(interp, tmp_path):
    path = tmp_path / "f.txt"
    path.write_bytes(b"first\n")
    token = interp.eval(f"package require mime; mime::initialize -canonical text/plain -file {{{path}}}")
    msg = get_message(interp, token)
    path.write_bytes(b"second\n")
    assert msg.get_content() == "second\n"
    assert bytes(msg).endswith(b"\r\n\r\nsecond\r\n")


def test_part_named_in_two_sessions_keeps_its_first_name(built):
    from tclsmtp.session import Session
    from tclsmtp.mime import token_for_message
    interp, token, msg = built
    other = Session()
    other_token = token_for_message(other, msg)
    assert other.lookup(other_token) is msg
    assert msg.state.token == token
    assert interp.eval(f"mime::getheader {token} Subject") == "{hello there}"
    assert token_for_message(other, msg) == other_token


def test_email_api_can_restructure_a_tcl_message(interp):
    token = interp.eval('package require mime; set t [mime::initialize -canonical text/plain '
                        '-string "hello body"]; mime::setheader $t Subject hi; set t')
    msg = get_message(interp, token)
    msg.add_attachment(b"\x00\x01abc", maintype="application", subtype="octet-stream",
                       filename="a.bin")
    assert interp.eval(f"mime::getproperty {token} content") == "multipart/mixed"
    parts = interp.tk.splitlist(interp.eval(f"mime::getproperty {token} parts"))
    assert len(parts) == 2
    assert interp.eval(f"mime::getbody {parts[0]}") == "hello body"
    assert interp.eval(f"mime::getheader {token} Subject") == "hi"
    back = email.message_from_bytes(interp.tk.call("mime::buildmessage", token),
                                    policy=email.policy.default)
    assert [(p.get_content_type(), p.get_content()) for p in back.iter_parts()] == \
        [("text/plain", "hello body"), ("application/octet-stream", b"\x00\x01abc")]
    assert back["Subject"] == "hi"


@pytest.mark.parametrize("text", ["héllo\n", "a" * 100 + "é\n", "plain ascii\n", "日本語\n"])
def test_set_content_on_a_mimepart(text):
    part = MimePart()
    part["Subject"] = "x"
    part.set_content(text)
    assert part.get_content() == text
    back = email.message_from_bytes(bytes(part), policy=email.policy.default)
    assert back.get_content().replace("\r\n", "\n") == text
    assert back["Subject"] == "x"


def test_attaching_a_plain_email_message(built):
    interp, token, msg = built
    other = EmailMessage()
    other["Subject"] = "attached"
    other.set_content("attached text\n")
    msg.attach(other)
    parts = interp.tk.splitlist(interp.eval(f"mime::getproperty {token} parts"))
    assert len(parts) == 3
    assert interp.eval(f"mime::getbody {parts[2]}") == "attached text\n"
    assert interp.eval(f"mime::getheader {parts[2]} Subject") == "attached"
    back = email.message_from_bytes(bytes(msg), policy=email.policy.default)
    assert list(back.iter_parts())[2]["Subject"] == "attached"


def test_copy_has_its_own_headers_as_smtplib_needs(built):
    import copy
    import io
    from email.generator import BytesGenerator
    interp, token, msg = built
    interp.eval(f"mime::setheader {token} Bcc hidden@example.org")
    clone = copy.copy(msg)
    del clone["Bcc"]  # what smtplib.send_message does to its copy
    assert msg["Bcc"] == "hidden@example.org"
    assert interp.eval(f"mime::getheader {token} Bcc") == "hidden@example.org"
    assert clone["Bcc"] is None and clone["Subject"] == "hello there"
    # The email package's own generator renders the message too.
    out = io.BytesIO()
    BytesGenerator(out, policy=email.policy.SMTP).flatten(clone)
    back = email.message_from_bytes(out.getvalue(), policy=email.policy.default)
    assert [p.get_content_type() for p in back.walk()] == ["multipart/mixed", "text/plain", "image/png"]
    assert next(back.iter_attachments()).get_content() == b"\x89PNG\x00\x01\xff"


def test_python_primitives_match_the_tcl_commands(built, tmp_path):
    """What the smtp engine and Python callers use: tclsmtp.primitives.call."""
    from tclsmtp.primitives import call
    interp, token, msg = built
    from tclsmtp.bridge import session_of
    session = session_of(interp)
    text, image = interp.tk.splitlist(interp.eval(f"mime::getproperty {token} parts"))
    def raw(value):  # a Tcl byte array reaches Python as bytes, a string as str
        return value if isinstance(value, bytes) else value.encode("latin-1")
    for part in (text, image):
        assert raw(call(session, "mime.getbody", part)) == raw(interp.tk.call("mime::getbody", part))
    assert call(session, "mime.getbody", text, "-decode") == interp.eval(f"mime::getbody {text} -decode")
    assert call(session, "mime.buildmessage", token) == interp.tk.call("mime::buildmessage", token)
    assert call(session, "mime.getheader", token, "Subject") == ["hello there"]
    assert call(session, "mime.setheader", token, "Subject", "new") == ["hello there"]
    new = call(session, "mime.initialize", "-canonical", "text/plain", "-string", "x")
    assert interp.eval(f"mime::getbody {new}") == "x"
    call(session, "mime.finalize", new)
    assert interp.eval(f"catch {{mime::getbody {new}}}") == "1"
