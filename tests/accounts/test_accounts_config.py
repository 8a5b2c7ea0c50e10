"""The accounts file: where it is looked for, what it may say, and the
errors for what it may not (file, line and key named, no traceback)."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

from tclsmtp.accounts.config import AccountError, config_path, load_config

GOOD = """\
[defaults]
log = "deliveries.jsonl"

[accounts.office]
match = ["smtp.office365.com", "smtp-legacy.example.com:25"]
host = "smtp.office365.com"
port = 587
tls = "starttls"
username = "reports@example.com"
oauth = { provider = "microsoft", tenant = "example.com", client_id = "abc", client_secret_env = "SECRET" }

[accounts.relay]
match = "mail.example.com"
match_username = "batch"
password_command = "pass show mail/batch"
"""


def test_a_good_file(write_config):
    config = load_config(write_config(GOOD))
    office, relay = config.accounts["office"], config.accounts["relay"]
    assert office.match == [("smtp.office365.com", None), ("smtp-legacy.example.com", 25)]
    assert (office.port, office.tls, office.username) == (587, "starttls", "reports@example.com")
    assert office.oauth["flow"] == "client_credentials"
    assert office.oauth["client_secret"].kind == "env"
    # [defaults] reach every account; relative paths are the file's
    assert office.log == relay.log == str(config.file.parent / "deliveries.jsonl")
    assert relay.password.kind == "command" and relay.password.value == "pass show mail/batch"


def test_matching_by_server_port_and_user(write_config):
    config = load_config(write_config(GOOD))
    assert config.find("SMTP.office365.com", 587, "anyone").name == "office"
    assert config.find("smtp-legacy.example.com", 25, "").name == "office"
    assert config.find("smtp-legacy.example.com", 587, "") is None
    assert config.find("mail.example.com", 25, "batch").name == "relay"
    assert config.find("mail.example.com", 25, "someone-else") is None
    assert config.find("elsewhere.example.com", 25, "batch") is None


def test_the_most_specific_account_wins(write_config):
    config = load_config(write_config("""\
        [accounts.any]
        match = "mail.example.com"
        [accounts.alice]
        match = "mail.example.com"
        match_username = "alice"
        [accounts.submission]
        match = "mail.example.com:587"
        """))
    assert config.find("mail.example.com", 25, "bob").name == "any"
    assert config.find("mail.example.com", 587, "bob").name == "submission"
    assert config.find("mail.example.com", 587, "alice").name == "alice"


@pytest.mark.parametrize("text, where, message", [
    ('[accounts.a]\nmatch = "x"\nprot = 587\n', ":3: accounts.a.prot: unknown key", "an account may set"),
    ('[accounts.a]\nmatch = "x"\n\nport = "587"\n', ":4: accounts.a.port: must be a port number",
     "'587'"),
    ('[accounts.a]\ntls = "ssl"\n', ":2: accounts.a.tls: must be one of", "'ssl'"),
    ('[accounts.a]\nmatch = "x"\noauth = { provider = "microsoft", client_id = "c", tenant = "t",'
     ' client_secrett = "s" }\n', ":3: accounts.a.oauth.client_secrett: unknown key", "provider"),
    ('[accounts.a]\noauth.provider = "yahoo"\n', ":2: accounts.a.oauth.provider: must be one of",
     "'yahoo'"),
    ('[accounts.a]\npassword_env = "A"\npassword_command = "b"\n', ":3: accounts.a.password_command",
     "only one of"),
    ('[account.a]\nmatch = "x"\n', ":1: account: unknown key", "[accounts.NAME]"),
    ('[accounts.a]\nmechanisms = ["XOAUTH2", "KERBEROS"]\n', ":2: accounts.a.mechanisms",
     "unknown SASL mechanism 'KERBEROS'"),
    ('[defaults]\nusername = "x"\n', ":2: defaults.username: unknown key", "[defaults]"),
    ('[accounts.a]\nkeepalive = "yes"\n', ":2: accounts.a.keepalive: must be a number of seconds",
     "'yes'"),
    ('[accounts.a]\nmatch = "x"\nmatch = "y"\n', ": Cannot overwrite a value (at line 3", ""),
])
def test_errors_name_the_file_line_and_key(write_config, text, where, message):
    path = write_config(text)
    with pytest.raises(AccountError) as info:
        load_config(path)
    text = str(info.value)
    assert text.startswith(str(path) + where), text
    assert message in text
    assert "Traceback" not in text


def test_a_readable_file_with_a_secret_is_refused(write_config):
    path = write_config('[accounts.a]\nmatch = "x"\n\npassword = "hunter2"\n', mode=0o644)
    with pytest.raises(AccountError) as info:
        load_config(path)
    message = str(info.value)
    assert f"chmod 600 {path}" in message and "accounts.a.password, line 4" in message
    assert "hunter2" not in message
    os.chmod(path, 0o600)
    assert load_config(path).accounts["a"].password.value == "hunter2"


def test_a_readable_file_without_secrets_is_fine(write_config):
    path = write_config('[accounts.a]\nmatch = "x"\npassword_command = "pass x"\n', mode=0o644)
    assert load_config(path).accounts["a"].password.kind == "command"


def test_where_the_file_is_looked_for(tmp_path, monkeypatch):
    monkeypatch.delenv("TCLSMTP_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    if Path("/etc/tclsmtp/config.toml").exists():
        pytest.fail("this machine has /etc/tclsmtp/config.toml; the test needs it absent")
    assert config_path() is None                  # no file: no accounts
    user = tmp_path / "xdg" / "tclsmtp" / "config.toml"
    user.parent.mkdir(parents=True)
    user.write_text("")
    assert config_path() == user
    named = tmp_path / "named.toml"
    named.write_text("")
    monkeypatch.setenv("TCLSMTP_CONFIG", str(named))
    assert config_path() == named
    assert config_path(str(user)) == user         # install(interp, config=...) wins
    monkeypatch.setenv("TCLSMTP_CONFIG", str(tmp_path / "missing.toml"))
    with pytest.raises(AccountError, match=r"missing.toml: no such accounts file \(named by "
                                           r"\$TCLSMTP_CONFIG\)"):
        config_path()


@pytest.mark.parametrize("xdg, home", [
    ("/x/conf", "/home/u"), ("/x/conf/", "/home/u"), (None, "/home/u"), ("", "/home/u/"),
    ("relative/conf", "/home/u"), (None, "relative-home"), (None, None), ("/x", None)])
def test_the_user_config_dir_is_platformdirs_one(xdg, home, monkeypatch):
    # where.py follows platformdirs' rule on Linux without loading it: the
    # same answer in every environment, odd ones included.
    import platformdirs

    from tclsmtp.accounts.where import user_config_dir
    for name, value in (("XDG_CONFIG_HOME", xdg), ("HOME", home)):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    assert user_config_dir() == str(platformdirs.user_config_path("tclsmtp", appauthor=False))


def test_secrets_do_not_show_in_reprs(write_config):
    config = load_config(write_config('[accounts.a]\nmatch = "x"\npassword = "hunter2"\n'))
    assert "hunter2" not in repr(config)


def test_the_mechanism_names_are_the_engines():
    from tclsmtp.accounts.config import OAUTH_MECHANISMS, SASL_MECHANISMS
    from tclsmtp.smtp import sasl
    assert set(SASL_MECHANISMS) == set(sasl.KNOWN_MECHANISMS)
    assert set(OAUTH_MECHANISMS) == set(sasl.OAUTH_MECHANISMS)
