"""`--help` names every environment variable the command's code reads."""
from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "tclsmtp"

# os.environ["X"] / os.environ.get("X") / environ.get(ENV) / any TCLSMTP_X literal
_READ = re.compile(r'environ(?:\.get\(|\[)\s*"([A-Z][A-Z0-9_]*)"(?!\]\s*=)')
_OURS = re.compile(r'"(TCLSMTP_[A-Z0-9_]+)"')


def variables_read(files) -> set[str]:
    names: set[str] = set()
    for f in files:
        text = f.read_text(encoding="utf-8")
        names |= set(_READ.findall(text)) | set(_OURS.findall(text))
    return names


def help_text(*args: str) -> str:
    p = subprocess.run([sys.executable, "-m", "tclsmtp", *args, "--help"],
                       capture_output=True, text=True, check=True)
    return p.stdout


def test_run_help_lists_every_variable_the_runtime_reads():
    files = [f for f in PACKAGE.rglob("*.py")
             if "compat" not in f.parts and "helper" not in f.parts]
    names = variables_read(files)
    assert {"TCLSMTP_SMTP_MAX_WAIT", "TCLSMTP_AUTH_MECHANISMS", "TCLSMTP_STRICT_TLS"} <= names
    text = help_text("run")
    missing = sorted(n for n in names if n not in text)
    assert not missing, f"tclsmtp run --help does not mention {missing}"


def test_helper_commands_help_list_the_variables_they_read():
    for command, module in (("serve", "serve.py"), ("tcl-path", "tclpath.py")):
        names = variables_read([PACKAGE / "helper" / module])
        text = help_text(command)
        missing = sorted(n for n in names if n not in text)
        assert not missing, f"tclsmtp {command} --help does not mention {missing}"


def test_compat_help_lists_the_variables_the_harness_reads():
    names = variables_read((PACKAGE / "compat").glob("*.py")) | {"TCLLIBPATH"}
    text = help_text("compat")
    missing = sorted(n for n in names if n not in text)
    assert not missing, f"tclsmtp compat --help does not mention {missing}"


def test_top_level_help_lists_each_command_once():
    text = help_text()
    for command in ("run", "compat"):
        assert len(re.findall(rf"^\s+{command}\s", text, re.M)) == 1, text
