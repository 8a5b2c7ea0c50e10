"""Where we differ from tcllib on purpose (docs/compat.md, "mime: tokens and
output"): each test shows tcllib's behaviour and ours, and that the
difference is exactly the documented one."""
from __future__ import annotations

import re

import pytest

from conftest import run_both


def _both(cases, setup=""):
    ref, ours = run_both(cases, setup)
    return ref, ours


def test_header_line_breaks_refused(tcllib):
    cases = [
        ("set", 'set t [mime::initialize -canonical text/plain -string x]; '
                'mime::setheader $t Subject "hi\\r\\nBcc: victim@example.com"; mime::buildmessage $t'),
        ("lf", 'set t [mime::initialize -canonical text/plain -string x]; '
               'mime::setheader $t Subject "hi\\nBcc: victim@example.com" -mode append'),
        ("init", 'mime::initialize -canonical text/plain -header [list X-A "a\\rb"] -string x'),
        ("after", 'set t [mime::initialize -canonical text/plain -string x]; '
                  'catch {mime::setheader $t Subject "a\\nb"}; mime::getheader $t -names'),
    ]
    ref, ours = _both(cases)
    # tcllib writes the injected line.
    assert ref["set"].code == 0 and "\r\r\nBcc: victim@example.com\r\n" in ref["set"].value
    assert ref["lf"].code == 0 and ref["init"].code == 0
    for name in ("set", "lf", "init"):
        assert ours[name].code == 1
        assert "contains a line break (CR or LF): refused" in ours[name].value
    assert ref["after"].value == "Content-ID Subject"
    assert ours["after"].value == "Content-ID"  # nothing was added on the refusal


def test_canonical_and_param_line_breaks_refused(tcllib):
    """CR and LF in -canonical and in -param names and values (an
    attachment's name, a boundary) would become header lines. A NUL adds
    no line: kept, as tcllib keeps it."""
    bcc = "Bcc: victim@example.com"
    cases = [
        ("canonical", f'mime::buildmessage [mime::initialize -canonical "text/plain\\r\\n{bcc}" '
                      '-string x]'),
        ("value", 'mime::buildmessage [mime::initialize -canonical application/octet-stream '
                  f'-param [list name "a.txt\\r\\n{bcc}"] -string x]'),
        ("name", 'mime::buildmessage [mime::initialize -canonical text/plain '
                 f'-param [list "x\\n{bcc}\\nY" v] -string x]'),
        ("boundary", 'mime::buildmessage [mime::initialize -canonical multipart/mixed '
                     f'-param [list boundary "b\\n{bcc}"] '
                     '-parts [mime::initialize -canonical text/plain -string x]]'),
        ("nul", 'mime::buildmessage [mime::initialize -canonical text/plain '
                '-param [list name "a\\0b"] -string x]'),
    ]
    ref, ours = _both(cases)
    for name in ("canonical", "value", "name", "boundary"):
        assert ref[name].code == 0 and f"\n{bcc}".lower() in ref[name].value.lower()  # injected
    assert ref["nul"].code == 0 and "\0" in ref["nul"].value
    expected = {
        "canonical": '-canonical "text/plain\\r\\nBcc: victim@example.com" contains a line '
                     "break (CR or LF): refused",
        "value": "value of parameter name contains a line break (CR or LF): refused",
        "name": f'-param name "x\\n{bcc}\\nY" contains a line break (CR or LF): refused',
        "boundary": "value of parameter boundary contains a line break (CR or LF): refused",
    }
    def without_id(text: str) -> str:
        return re.sub(r"<PID\.TIME\.\d+@HOST>", "<ID>", text)
    assert (ours["nul"].code, without_id(ours["nul"].value)) == (0, without_id(ref["nul"].value))
    for name, message in expected.items():
        assert (ours[name].code, ours[name].value) == (1, message), name


def test_python_api_params_refused():
    """The Python side: a parameter set on the EmailMessage behind a token."""
    from tclsmtp.errors import ScriptError
    from tclsmtp.mime import MimePart
    from tclsmtp.mime.model import TokenState
    part = MimePart(TokenState())
    with pytest.raises(ScriptError, match="value of parameter name contains a line break"):
        part["Content-Type"] = 'text/plain; name="=?utf-8?q?a=0D=0ABcc:_x?="'


def test_header_names_refused(tcllib):
    cases = [(f"n{i}", f"set t [mime::initialize -canonical text/plain -string x]; "
                       f"mime::setheader $t {{{name}}} v; mime::getheader $t -names")
             for i, name in enumerate(["bad name", "bad:name", "", "tab\tname"])]
    cases.append(("init", "mime::initialize -canonical text/plain -header {{a b} v} -string x"))
    ref, ours = _both(cases)
    for name, _ in cases:
        assert ref[name].code == 0
        assert ours[name].code == 1 and ours[name].value.startswith("invalid header name")
        assert ours[name].errorcode == "MIME HEADER NAME"


def test_failed_setheader_leaves_token_intact(tcllib):
    setup = "set t [mime::initialize -canonical text/plain -string x]; mime::setheader $t Subject s"
    cases = [("ct", "catch {mime::setheader $t Content-Type text/html}; mime::getheader $t"),
             ("mode", "catch {mime::setheader $t X-New v -mode bogus}; mime::buildmessage $t")]
    ref, ours = _both(cases, setup)
    # tcllib recorded the key before failing: its token is broken from then on.
    assert ref["ct"].code == 1 and "no such element in array" in ref["ct"].value
    assert ref["mode"].code == 1
    assert ours["ct"].code == 0 and "Subject s" in ours["ct"].value
    assert ours["mode"].code == 0 and "X-New" not in ours["mode"].value


def test_text_beyond_latin1_declares_utf8(tcllib):
    text = "caf\\u00e9 \\u263a \\u4e2d"
    cases = [
        # ours, from plain characters ...
        ("plain", f'mime::buildmessage [mime::initialize -canonical text/plain -string "{text}"]'),
        ("params", f'mime::getproperty [mime::initialize -canonical text/plain -string "{text}"] params'),
        # ... equals what tcllib writes when the script declares UTF-8 itself.
        ("declared", 'mime::buildmessage [mime::initialize -canonical text/plain -param {charset UTF-8} '
                     f'-string [encoding convertto utf-8 "{text}"]]'),
    ]
    ref, ours = _both(cases)
    assert "charset" not in ref["plain"].value  # tcllib declares nothing
    assert ours["plain"].value.replace("<PID.TIME.1@", "<PID.TIME.3@") == ref["declared"].value
    assert ours["params"].value == "charset UTF-8"


@pytest.mark.parametrize("encoding,charset,tcl_encoding", [
    ("base64", "UTF-8", "utf-8"), ("quoted-printable", "utf-8", "utf-8"),
    ("base64", "ISO-8859-7", "iso8859-7"), ("quoted-printable", "KOI8-R", "koi8-r")])
def test_converters_encode_text_in_its_charset(tcllib, encoding, charset, tcl_encoding):
    text = "\\u03b1\\u03b2 \\u0436 \\u20ac caf\\u00e9" if tcl_encoding == "utf-8" else \
        ("\\u03b1\\u03b2\\u03b3 x" if tcl_encoding == "iso8859-7" else "\\u0436\\u0437 x")
    opts = f"-canonical text/plain -encoding {encoding} -param {{charset {charset}}}"
    cases = [("chars", f'mime::buildmessage [mime::initialize {opts} -string "{text}"]'),
             ("bytes", f'mime::buildmessage [mime::initialize {opts} '
                       f'-string [encoding convertto {tcl_encoding} "{text}"]]')]
    ref, ours = _both(cases)
    # tcllib keeps the low byte of each character: the text is lost.
    assert ref["chars"].value.replace(".1@", ".2@") != ref["bytes"].value
    # ours encodes the characters in the declared charset, as the script
    # that converts them first gets from tcllib.
    assert ours["chars"].value.replace(".1@", ".2@") == ref["bytes"].value


def test_file_bytes_pass_through_buildmessage(tcllib, tmp_path):
    data = bytes(range(256)) * 4
    (tmp_path / "bin").write_bytes(data)
    setup = f"set ::dir {{{tmp_path}}}"
    make = "mime::initialize -canonical application/x-raw -encoding binary -file $::dir/bin"
    cases = [
        ("build", f"mime::buildmessage [{make}]"),
        # tcllib's copymessage to a byte channel with CRLF line ends: the
        # file's bytes, which is what our buildmessage gives.
        ("copy", f"set f [open $::dir/out w]; fconfigure $f -encoding binary -translation crlf; "
                 f"mime::copymessage [{make}] $f; close $f; set f [open $::dir/out rb]; "
                 "set h [read $f]; close $f; set h"),
    ]
    ref, ours = _both(cases, setup)
    crlf_data = data.replace(b"\n", b"\r\n").decode("latin-1")
    assert crlf_data not in ref["build"].value  # tcllib re-encoded bytes >= 0x80 as UTF-8
    assert crlf_data in ref["copy"].value
    assert ours["build"].value.replace(".1@", ".2@") == ref["copy"].value


def test_boundary_written_once(tcllib):
    cases = [("m", "mime::buildmessage [mime::initialize -canonical multipart/mixed "
                   "-parts [list [mime::initialize -canonical text/plain -string a]]]")]
    ref, ours = run_both(cases)
    assert ours["m"].value.count("boundary=") == ref["m"].value.count("boundary=") == 1
    # mime 1.7.0 (Debian's tcllib 1.21) wrote it twice; 1.7.2 (tcllib 2.0) once.
    from reference import DEBIAN, run_tclsh
    raw = run_tclsh("package require mime\nputs [mime::buildmessage [mime::initialize -canonical "
                    "multipart/mixed -parts [list [mime::initialize -canonical text/plain -string a]]]]",
                    tcllib=DEBIAN)
    assert raw.stdout.count("boundary=") == 2


def test_internal_options_unknown(interp):
    interp.eval("package require mime")
    for option in ("-root", "-offset", "-count", "-lineslist"):
        assert interp.eval(f"catch {{mime::initialize {option} x -string y}} m; set m") == \
            f"unknown option {option}"
