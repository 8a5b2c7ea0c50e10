"""The harness itself: real tclsh, real `tclsmtp run`, real servers on loopback."""
from __future__ import annotations

import os
import re
import socket
import subprocess
import textwrap
from pathlib import Path

import pytest

from tclsmtp.compat import cli
from tclsmtp.compat.config import read_directives
from tclsmtp.compat.harness import compare
from tclsmtp.compat.normalize import Normalizer, strip_package_frames
from tclsmtp.compat.servers import DeadPort
from tclsmtp.compat.sides import find_reference

from reference import DEBIAN, REFERENCE_TCLLIB, tcllib_env

REF = str(REFERENCE_TCLLIB)   # the reference: tcllib 2.0 (--tcllib)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def tclsh(script: str, tcllib=REFERENCE_TCLLIB) -> bytes:
    return subprocess.run(["tclsh"], input=script.encode(), capture_output=True,
                          timeout=60, env={**os.environ, **tcllib_env(None, tcllib)}).stdout


def test_plain_tcl_behaves_the_same(tmp_path, tcllib):
    script = write(tmp_path, "plain.tcl", """\
        # compat: args one "two words"
        puts "argc=$argc argv=$argv argv0=[file tail $argv0] script=[file tail [info script]]"
        puts stderr "to stderr"
        exit 2
        """)
    result = compare(read_directives(script), tcllib=REF)
    assert result.verdict == "match", result.diff
    by_key = {s.key: s for s in result.sections}
    assert by_key["exit"].reference == ["exit status 2"]
    assert by_key["stdout"].reference == [
        "argc=2 argv=one {two words} argv0=plain.tcl script=plain.tcl"]
    assert by_key["stderr"].reference == ["to stderr"]


def test_a_difference_is_a_unified_diff_and_status_1(tmp_path, tcllib, capsys):
    # `info nameofexecutable` is a documented runner difference: tclsh vs Python.
    script = write(tmp_path, "exe.tcl", "puts [file tail [info nameofexecutable]]\n")
    assert cli.main(["--tcllib", REF, str(script)]) == cli.EXIT_DIFFERENT
    out = capsys.readouterr().out
    assert "--- tcllib: stdout" in out and "+++ tclsmtp: stdout" in out
    assert re.search(r"^-tclsh", out, re.M)
    assert re.search(r"^\+python", out, re.M)


def test_report_is_self_contained_and_escaped(tmp_path, tcllib, capsys):
    script = write(tmp_path, "html.tcl",
                   'puts "<script>alert(1)</script> & [file tail [info nameofexecutable]]"\n')
    report = tmp_path / "out.html"
    cli.main(["--tcllib", REF, "--report", str(report), str(script)])
    page = report.read_text(encoding="utf-8")
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in page
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:|//)""", page)
    assert "tcllib (reference)" in page and "tclsmtp</th>" in page
    assert "mismatch" in page


def test_redirect_sends_tcllibs_mail_to_the_recording_server(tmp_path, tcllib):
    script = write(tmp_path, "redirect.tcl", """\
        package require smtp
        package require mime
        set t [mime::initialize -canonical text/plain -string "redirected\\n"]
        mime::setheader $t Subject "where did it go"
        smtp::sendmessage $t -originator a@example.com -recipients b@example.com \\
            -servers {mail.invalid other.invalid} -ports {25 587}
        puts [info commands ::smtp::socket]
        """)
    result = compare(read_directives(script), self_check=True, tcllib=REF)
    assert result.matches, result.diff
    (conn,) = result.tcllib.connections
    assert b"RCPT TO:<b@example.com>" in bytes(conn.client_bytes)
    message = next(s for s in result.sections if s.key == "message-1").reference
    assert "Subject: where did it go" in message
    assert "redirected" in message


def test_placeholders_reach_the_script(tmp_path, tcllib):
    script = write(tmp_path, "args.tcl", """\
        # compat: args {server} {port} {deadport} {dir}
        lassign $argv host port dead dir
        puts "$host [string is integer -strict $port] [expr {$port != $dead}] [file tail $dir]"
        puts "$port $dead"
        """)
    result = compare(read_directives(script), self_check=True, tcllib=REF)
    assert not result.config.redirects
    stdout = next(s for s in result.sections if s.key == "stdout")
    assert stdout.reference == ["127.0.0.1 1 1 " + tmp_path.name, "<port> <deadport>"]
    assert stdout.equal


def test_the_dead_port_refuses_connections():
    dead = DeadPort()
    try:
        with pytest.raises(ConnectionRefusedError):
            socket.create_connection(("127.0.0.1", dead.port), timeout=5)
    finally:
        dead.close()


def test_missing_tclsh_says_how_to_install(tmp_path, capsys):
    script = write(tmp_path, "x.tcl", "puts hi\n")
    assert cli.main(["--tclsh", str(tmp_path / "no-tclsh-here"), str(script)]) == \
        cli.EXIT_NO_REFERENCE
    err = capsys.readouterr().err
    assert "tclsh not found" in err
    assert "apt-get install tcl tcllib tcl-tls" in err


def test_a_documented_difference_must_be_exactly_the_expected_diff(tmp_path, tcllib):
    script = write(tmp_path, "doc.tcl", """\
        # compat: difference runner-nameofexecutable
        puts [file tail [info nameofexecutable]]
        """)
    config = read_directives(script)
    first = compare(config, tcllib=REF)
    assert first.verdict == "changed-difference"        # no expected diff yet
    config.expected_diff_path.write_text(first.diff, encoding="utf-8")
    assert compare(read_directives(script), tcllib=REF).verdict == "documented"
    script.write_text(script.read_text() + "puts [pid]\n", encoding="utf-8")
    assert compare(read_directives(script), tcllib=REF).verdict == "changed-difference"


def test_two_reference_runs_normalize_to_the_same_text(tcllib):
    script = """
        package require mime
        set a [mime::initialize -canonical text/plain -string one]
        set m [mime::initialize -canonical multipart/mixed -parts [list $a]]
        mime::setheader $m Date [mime::parsedatetime -now proper]
        mime::setheader $m X-Fixed-Date "Mon, 2 Nov 2026 09:14:55 +0100"
        puts [mime::buildmessage $m]
        puts [mime::uniqueID]
        puts "[clock seconds] [clock milliseconds] [clock format [clock seconds]]"
        after 1100
    """
    ref = find_reference(tcllib=REF)
    first, second = tclsh(script), tclsh(script)
    assert first != second                              # IDs, boundary, date differ
    norm = [Normalizer(fix_duplicate_boundary=ref.writes_boundary_twice).stream(x)
            for x in (first, second)]
    assert norm[0] == norm[1]
    text = norm[0].decode()
    assert text.count("boundary=") == 1
    assert "X-Fixed-Date: Mon, 2 Nov 2026 09:14:55 +0100" in text
    assert "Date: <now: Www, 99 Mmm 9999 99:99:99 +9999>" in text
    assert "<ID-" in text and "--<BOUNDARY-1>--" in text
    assert "<now: clock seconds> <now: clock milliseconds> <now: Www Mmm 99 99:99:99" in text


def test_the_repeated_boundary_of_mime_1_7_0_is_written_once():
    n = Normalizer(fix_duplicate_boundary=True)
    # (a) a boundary already written: the second (the one the body uses) stays.
    twice = b'Content-Type: multipart/mixed;\r\n              boundary="a"\r\n;\r\n              boundary="b"\r\n'
    assert n.text(twice) == b'Content-Type: multipart/mixed;\r\n              boundary="b"\r\n'
    assert Normalizer().text(twice) == twice            # tclsmtp's side: never


def test_a_boundary_after_other_parameters_gets_its_semicolon_back(tcllib):
    # Debian's tcllib 1.21 (mime 1.7.0): the users' tcllib by default.
    ref = find_reference()
    assert ref.writes_boundary_twice
    out = tclsh("""package require mime
        set a [mime::initialize -canonical text/html -string x]
        set m [mime::initialize -canonical multipart/related -param {type text/html} -parts [list $a]]
        puts [mime::buildmessage $m]""", DEBIAN)
    text = Normalizer(fix_duplicate_boundary=ref.writes_boundary_twice).stream(out)
    assert b'multipart/related;\r\n              type="text/html";\r\n' \
           b'              boundary="<BOUNDARY-1>"\r\n\r\n' in text
    assert text.count(b"boundary=") == 1


TICK = """\
    # compat: redirect no
    package require mime
    set a [mime::initialize -canonical text/plain -string x]
    set m [mime::initialize -canonical multipart/mixed -parts [list $a]]
    puts [mime::buildmessage $m]
    # wait for the clock's next second, then ask again
    set now [clock seconds]
    while {[clock seconds] == $now} { after 20 }
    puts [mime::getheader $m Content-Type]
    mime::copymessage $m stdout
    """


@pytest.mark.parametrize("reference", [REF, None], ids=["tcllib-2.0", "debian-1.21"])
def test_a_clock_tick_between_two_calls_on_a_part_is_no_difference(tmp_path, tcllib, reference):
    # tcllib derives a generated boundary from clock seconds on each call
    # (the tick below gives it a second one); ours is kept. The prelude
    # holds each part's second steady, so the comparison matches.
    script = write(tmp_path, "tick.tcl", TICK)
    result = compare(read_directives(script), tcllib=reference)
    assert result.verdict == "match", result.diff
    stdout = next(s for s in result.sections if s.key == "stdout").reference
    assert {line for line in stdout if "BOUNDARY" in line} >= {
        '              boundary="<BOUNDARY-1>"', "--<BOUNDARY-1>", "--<BOUNDARY-1>--"}
    assert not any("BOUNDARY-2" in line for line in stdout)


def test_tcllib_dir_chooses_the_reference(tmp_path, tcllib, capsys):
    # By default the reference is the user's tclsh with the tcllib it finds
    # (Debian's 1.21 here); --tcllib DIR puts another one first.
    script = write(tmp_path, "crlf.tcl", """\
        package require mime
        puts [package require mime]
        set m [mime::initialize -string "Subject: hi\\r\\nX-A: 1\\r\\n\\r\\nbody\\r\\n"]
        puts [mime::getheader $m Subject]
        """)
    default = compare(read_directives(script), self_check=True)
    assert default.reference.tcllib is None and default.reference.mime == "1.7.0"
    assert next(s for s in default.sections if s.key == "stdout").reference == ["1.7.0", "hi\\]"]
    result = compare(read_directives(script), tcllib=REF)
    assert result.reference.tcllib == REF and result.reference.mime == "1.7.2"
    assert result.verdict == "match", result.diff
    assert next(s for s in result.sections if s.key == "stdout").reference == ["1.7.2", "hi"]
    assert cli.main(["--tcllib", str(tmp_path / "nowhere"), str(script)]) == cli.EXIT_NO_REFERENCE
    assert "--tcllib" in capsys.readouterr().err
    assert cli.main(["--tcllib", str(tmp_path), str(script)]) == cli.EXIT_NO_REFERENCE
    assert "holds no newer mime" in capsys.readouterr().err


def test_size_is_compared_relative_to_the_message():
    n = Normalizer()
    n.note_size(120, b"x" * 100)
    n.note_size(99, None)
    assert n.sizes_in(b"MAIL FROM:<a@b> SIZE=120") == b"MAIL FROM:<a@b> SIZE=<message length+20>"
    assert n.sizes_in(b"SIZE=99") == b"SIZE=<not compared: the message was not sent>"


def test_package_frames_are_dropped_from_error_traces(tcllib):
    # tcllib raises from deep inside its procs; a proc of the same name that
    # fails at its own level gives the trace a script sees from tclsmtp.
    deep = tclsh("package require mime\n"
                 "catch {mime::initialize -bogus 1}\nputs $::errorInfo\n")
    flat = tclsh("namespace eval mime {}\n"
                 "proc mime::initialize args {return -code error {unknown option -bogus}}\n"
                 "catch {mime::initialize -bogus 1}\nputs $::errorInfo\n")
    assert b"procedure" in deep and deep != flat
    assert strip_package_frames(deep) == flat


def test_random_sasl_exchanges_keep_their_shape_and_outcome():
    from tclsmtp.compat.normalize import mask_sasl_conversation, mask_sasl_debug
    conv = [("C", b"AUTH CRAM-MD5"), ("S", b"334 PDEyMy40NTZAaG9zdD4="),
            ("C", b"Y2Fyb2wgZGVhZGJlZWY="), ("S", b"535 5.7.8 Authentication credentials invalid"),
            ("C", b"AUTH PLAIN AGEAYg=="), ("S", b"235 2.7.0 Authentication successful")]
    assert mask_sasl_conversation(conv) == [
        ("C", b"AUTH CRAM-MD5"), ("S", b"334 <challenge>"), ("C", b"<response>"),
        ("S", b"535 5.7.8 Authentication credentials invalid"),
        ("C", b"AUTH PLAIN AGEAYg=="), ("S", b"235 2.7.0 Authentication successful")]
    debug = [b"--> AUTH SCRAM-SHA-256 biwsbj1hLHI9eHl6 (wait upto 300 seconds)",
             b"<-- 334 cj14eXp6eXgs", b"--> Yz1iaXdzLHI9 (wait upto 300 seconds)",
             b"<-- 235 2.7.0 Authentication successful"]
    assert mask_sasl_debug(debug) == [
        b"--> AUTH SCRAM-SHA-256 <response> (wait upto 300 seconds)",
        b"<-- 334 <challenge>", b"--> <response> (wait upto 300 seconds)",
        b"<-- 235 2.7.0 Authentication successful"]


def test_corpus_mode_compares_a_directory(tmp_path, tcllib, capsys):
    write(tmp_path, "a.tcl", "puts a\n")
    write(tmp_path, "b.tcl", "# compat: args x y\nputs $argv\nexit 4\n")
    report = tmp_path / "corpus.html"
    assert cli.main(["--tcllib", REF, "--self-check", "--corpus", str(tmp_path), "--report", str(report)]) == 0
    out = capsys.readouterr().out
    assert "a.tcl: match" in out and "b.tcl: match" in out
    assert "2 of 2 scripts match" in out
    assert "2 of 2 scripts match tcllib" in report.read_text(encoding="utf-8")
    assert "2 match" in report.read_text(encoding="utf-8")


def test_corpus_prints_each_result_as_it_finishes(tmp_path, tcllib, capsys):
    # a.tcl comes first by name but takes longer: its line comes second.
    write(tmp_path, "a.tcl", "after 1000\nputs a\n")
    write(tmp_path, "b.tcl", "puts b\n")
    assert cli.main(["--self-check", "--jobs", "2", "--corpus", str(tmp_path)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert re.fullmatch(r"1/2 +\d+\.\ds  b\.tcl: match.*", lines[0]), lines
    assert re.fullmatch(r"2/2 +\d+\.\ds  a\.tcl: match.*", lines[1]), lines
    assert float(lines[1].split()[1][:-1]) >= 1.0        # a.tcl's second, at least
    assert lines[2] == "2 of 2 scripts match (or differ exactly as documented)"


def test_the_printed_prelude_is_what_tclsh_runs(tmp_path, tcllib, capsys):
    assert cli.main(["--show-prelude"]) == 0
    prelude = capsys.readouterr().out.replace("PORT", "2525")
    (tmp_path / "pkgIndex.tcl").write_text(prelude, encoding="utf-8")
    probe = subprocess.run(
        ["tclsh"], input="package require smtp\nputs [info body ::smtp::socket]\n",
        capture_output=True, text=True, timeout=60,
        env={"TCLLIBPATH": str(tmp_path), "PATH": "/usr/bin:/bin"})
    assert "127.0.0.1 2525" in probe.stdout, probe.stderr


def test_the_report_quotes_the_documented_entry():
    from tclsmtp.compat.documented import documented_entry
    doc = "## smtp\n\n- **First thing.** Explained\n  on two lines.\n- **Second.** Other.\n"
    assert documented_entry("First thing.", doc) == "First thing. Explained on two lines."
    assert documented_entry("Explained on two", doc) == "First thing. Explained on two lines."
    assert documented_entry("Nowhere", doc) is None


def test_accept_difference_must_name_a_documented_entry(tmp_path, capsys, tcllib):
    # Exit 2 before running anything, naming the closest entries.
    script = write(tmp_path, "x.tcl", "puts hi\n")
    assert cli.main(["--accept-difference", "anything I like", str(script)]) == cli.EXIT_USAGE
    err = capsys.readouterr().err
    assert "anything I like" in err and "closest entries" in err
    assert len(err.strip().splitlines()) == 4          # the message and three entries
    assert not (tmp_path / "x.tcl.expected.diff").exists()
    assert cli.main(["--accept-difference", "token comes back", str(script)]) == cli.EXIT_USAGE
    assert "the runs match" in capsys.readouterr().err


def test_compat_md_travels_with_the_package():
    from tclsmtp.compat.documented import compat_doc_path
    # In a checkout it is docs/compat.md itself (test_wheel checks the wheel's copy).
    assert compat_doc_path() == Path(__file__).resolve().parents[2] / "docs" / "compat.md"


def test_tclsh_without_tcllib_says_how_to_install(tmp_path, tcllib, capsys):
    # The real tclsh, with an empty auto_path: tcllib cannot be found.
    bare = tmp_path / "tclsh-without-tcllib"
    bare.write_text("#!/bin/sh\n(echo 'set ::auto_path {}'; cat) | exec tclsh \"$@\"\n")
    bare.chmod(0o755)
    script = write(tmp_path, "x.tcl", "puts hi\n")
    assert cli.main(["--tclsh", str(bare), str(script)]) == cli.EXIT_NO_REFERENCE
    err = capsys.readouterr().err
    assert "tcllib's mime and smtp are not available" in err
    assert "can't find package mime" in err
    assert "apt-get install tcl tcllib tcl-tls" in err


def test_a_tlsimport_script_on_a_plain_server_gets_a_hint(tmp_path, tcllib, capsys):
    script = write(tmp_path, "implicit.tcl", """\
        # compat: timeout 3
        package require smtp
        package require mime
        smtp::sendmessage [mime::initialize -canonical text/plain -string x] \\
            -originator a@example.com -recipients b@example.com -tlsimport 1 -usetls 0
        """)
    assert cli.main(["--tcllib", REF, str(script)]) == cli.EXIT_DIFFERENT
    assert "hint: the script uses -tlsimport" in capsys.readouterr().out


def _uncaught(tmp_path: Path, name: str, body: str):
    return compare(read_directives(write(tmp_path, name, body)), tcllib=REF)


def test_frames_inward_of_the_package_call_are_dropped(tmp_path, tcllib):
    # tcllib's trace holds its unqualified internal procs ("getheader"), a
    # re-thrown location-less frame and Tcl's clock library procs; tclsmtp's
    # none of them. The script's own frames are compared.
    src = """\
        package require mime
        proc build {t} {
            mime::buildmessage $t
        }
        set t [mime::initialize -string "Content-Type: text/plain\\nContent-Transfer-Encoding: x-uuencode\\n\\nbegin\\n"]
        catch {mime::copymessage $t nosuchchannel} m; puts $m
        catch {mime::parsedatetime "sometime last week" clock} m; puts $::errorInfo
        build $t
        """
    raw = tclsh(textwrap.dedent(src).replace("build $t\n", "catch {build $t}; puts $::errorInfo\n"))
    assert b'(procedure "getheader" line' in raw and b"::tcl::clock::scan" in raw
    result = _uncaught(tmp_path, "deep.tcl", src)
    assert result.verdict == "match", result.diff
    norm = strip_package_frames(raw, frozenset({"build"}))
    assert b"getheader" not in norm and b"clock::scan" not in norm
    assert b'"mime::buildmessage $t"\n    (procedure "build" line 2)' in norm


def test_callback_frames_inside_a_package_call_are_kept(tmp_path, tcllib):
    raw = tclsh("package require mime\n"
                "set t [mime::initialize -canonical text/plain -string x]\n"
                "proc cb {phase args} {\n    error \"failed in $phase\"\n}\n"
                "catch {mime::getbody $t -command cb}\nputs $::errorInfo\n")
    norm = strip_package_frames(raw, frozenset({"cb"}))
    assert norm.decode() == (
        'failed in error\n    while executing\n"error "failed in $phase""\n'
        '    (procedure "cb" line 2)\n    invoked from within\n"cb error {failed in data}"\n'
        '    ("uplevel" body line 1)\n    invoked from within\n"mime::getbody $t -command cb"\n')


def test_differences_in_messages_and_script_frames_are_still_caught(tmp_path, tcllib):
    # `info nameofexecutable` is tclsh on one side, Python on the other: a
    # real difference in the message, and in which line of the callback fails.
    message = _uncaught(tmp_path, "message.tcl", """\
        package require mime
        set t [mime::initialize -canonical text/plain -string x]
        proc cb {phase args} { error "failed under [file tail [info nameofexecutable]]" }
        mime::getbody $t -command cb
        """)
    assert message.verdict != "match"
    assert "failed under" in message.diff
    line = _uncaught(tmp_path, "line.tcl", """\
        package require mime
        set t [mime::initialize -canonical text/plain -string x]
        proc cb {phase args} {
            if {[string match tclsh* [file tail [info nameofexecutable]]]} {
                error "failed"
            }
            error "failed"
        }
        mime::getbody $t -command cb
        """)
    assert line.verdict != "match"
    assert '(procedure "cb" line' in line.diff


def test_ports_are_masked_as_numbers_not_inside_hex_dumps():
    n = Normalizer(ports={43393: "<port>"})
    assert n.stream(b"connected to 127.0.0.1:43393\n") == b"connected to 127.0.0.1:<port>\n"
    assert n.stream(b"raw: 3d43393d 4339\n") == b"raw: 3d43393d 4339\n"
