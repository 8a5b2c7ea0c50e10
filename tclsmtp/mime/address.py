"""RFC 822 address lists the way tcllib's ``mime::parseaddress`` reads them.

tcllib's parser (a 1982 design) accepts nearly every broken address ever
sent, and scripts depend on its exact output: which property holds what,
the comment strings (comments seen during look-ahead are recorded again
when re-read), the ``error`` texts, and state that carries from one address
to the next (the group level). So this is a faithful recursive-descent
parser with tcllib's look-ahead and state rules, written as a class.
"""
from __future__ import annotations

import socket

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional

# Tcl's default [string trim] set: its Unicode white space and NUL.
TCL_TRIM = ("\x00\t\n\x0b\x0c\r \x85\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005"
            "\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff")

# Specials and their lexemes ("(", "\"" and "[" open comments, quoted
# strings and domain literals before this table is consulted).
_SPECIALS = {";": "SEMICOLON", ",": "COMMA", "<": "LBRACKET", ">": "RBRACKET", ":": "COLON",
             ".": "DOT", "(": "LPAREN", ")": "RPAREN", "@": "ATSIGN", "\"": "QUOTE",
             "[": "LSQUARE", "]": "RSQUARE", "\\": "QUOTE"}
_ATOM_ENDS = ("", " ", "\t", "\n")
_TRIM_SET = frozenset(TCL_TRIM)

# The properties of one address, in the order tcllib lists them.
KEYS = ("address", "comment", "domain", "error", "friendly", "group", "local", "memberP",
        "phrase", "proper", "route")
_FIELDS = ("comment", "domain", "error", "group", "local", "memberP", "phrase", "route")


class _Refused(Exception):
    """tcllib's ``return -code 7``: this address is malformed."""


def _tcl_upper(s: str) -> str:
    # Tcl upper-cases one character into one character.
    return "".join(u if len(u := c.upper()) == 1 else c for c in s)


def _x400(mbox: str, key: str) -> str:
    """The value of an X.400 attribute (/KEY=value/) in a local part."""
    at = _tcl_upper(mbox).find(f"/{key}=")
    if at < 0:
        return ""
    mbox = mbox[at + len(key) + 2:]
    slash = mbox.find("/")
    if slash > 0:
        mbox = mbox[:slash]
    return mbox.strip('"')


class _Parser:
    def __init__(self, text: str) -> None:
        # The input and how far it has been read (tcllib keeps the unread
        # rest; a position makes look-ahead a number and parsing linear).
        self.text = text
        self.pos = 0
        self.glevel = 0
        self.buffer = ""
        self.last = "END"
        # Per-address fields; None is Tcl's "unset".
        self.f: dict[str, Optional[str]] = {}

    # -- fields ---------------------------------------------------------
    def get(self, name: str) -> str:
        value = self.f.get(name)
        assert value is not None, name
        return value

    def append(self, name: str, *parts: str) -> None:
        self.f[name] = (self.f.get(name) or "") + "".join(parts)

    def unset(self, name: str) -> None:
        self.f.pop(name, None)

    # -- lexer ----------------------------------------------------------
    def _take(self) -> str:
        c = self.text[self.pos:self.pos + 1]
        self.pos += len(c)
        return c

    def _at_end(self) -> bool:
        return self.pos >= len(self.text)

    def lexeme(self) -> str:
        """The next lexeme's kind; its text goes to ``self.buffer``.

        Comments are not lexemes: each is appended to the ``comment``
        field (space-separated) and skipped.
        """
        text = self.text
        while True:
            while self.pos < len(text) and text[self.pos] in _TRIM_SET:
                self.pos += 1
            self.buffer = ""
            if self._at_end():
                self.buffer = "end-of-input"
                self.last = "END"
                return self.last
            c = self._take()
            if c == "(":
                if self._comment(c):
                    continue
                return self.last
            if c == '"':
                return self._delimited(c, '"', "QSTRING", "end-of-input during quoted-string",
                                       skip_first=True)
            if c == "[":
                return self._delimited(c, "]", "DLITERAL", "end-of-input during domain-literal")
            if c in _SPECIALS:
                self.buffer = c
                self.last = _SPECIALS[c]
                return self.last
            start = self.pos - 1
            while self.pos < len(text) and text[self.pos] not in _ATOM_ENDS and text[self.pos] not in _SPECIALS:
                self.pos += 1
            self.buffer = text[start:self.pos]
            self.last = "ATOM"
            return self.last

    def _comment(self, c: str) -> bool:
        """Read a comment; True when it closed (and was recorded)."""
        depth = 0
        quoted = False
        while True:
            self.buffer += c
            if quoted:
                quoted = False
            elif c == "(":
                depth += 1
            elif c == "\\":
                quoted = True
            elif c == ")":
                depth -= 1
                if depth < 1:
                    comment = self.f.get("comment")
                    self.f["comment"] = (comment + " " if comment is not None else "") + self.buffer
                    return True
            if self._at_end():
                self.buffer = "end-of-input during comment"
                self.last = "ERR"
                return False
            c = self._take()

    def _delimited(self, c: str, close: str, kind: str, eof: str, skip_first: bool = False) -> str:
        first = skip_first
        quoted = False
        while True:
            self.buffer += c
            if quoted:
                quoted = False
            elif c == "\\":
                quoted = True
            elif c == close:
                if not first:
                    self.last = kind
                    return kind
                first = False
            if self._at_end():
                self.buffer = eof
                self.last = "ERR"
                return self.last
            c = self._take()

    # -- grammar (tcllib's procs, same names) -----------------------------
    def next_address(self) -> bool:
        for name in _FIELDS:
            self.unset(name)
        try:
            if not self.specification():
                return False
            if self.last not in ("COMMA", "END"):
                # tcllib peeks once more to catch a trailing comment.
                lookahead = self.pos
                self.lexeme()
                self.pos = lookahead
        except _Refused as refused:
            self.f["error"] = str(refused)
            while self.last not in ("COMMA", "END"):
                self.lexeme()
        for name in _FIELDS:
            if self.f.get(name) is None:
                self.f[name] = ""
        return True

    def specification(self) -> bool:
        while True:
            lookahead = self.pos
            kind = self.lexeme()
            if kind in ("ATOM", "QSTRING"):
                self.f["phrase"] = self.buffer
                break
            if kind == "SEMICOLON":
                self.glevel -= 1
                if self.glevel < 0:
                    raise _Refused("extraneous semi-colon")
                self.unset("comment")
                continue
            if kind == "COMMA":
                self.unset("comment")
                continue
            if kind == "END":
                return False
            if kind == "LBRACKET":
                return self.routeaddr()
            if kind == "ATSIGN":
                self.pos = lookahead
                return self.routeaddr(check=False)
            raise _Refused(f"unexpected character at beginning (found {self.buffer})")

        kind = self.lexeme()
        if kind in ("ATOM", "QSTRING"):
            self.append("phrase", " ", self.buffer)
            return self.phrase()
        if kind == "LBRACKET":
            return self.routeaddr()
        if kind == "COLON":
            return self.group()
        if kind == "DOT":
            self.f["local"] = self.get("phrase") + self.buffer
            self.unset("phrase")
            self.routeaddr(check=False)
            self.end()
        elif kind == "ATSIGN":
            self.f["memberP"] = str(self.glevel)
            self.f["local"] = self.get("phrase")
            self.unset("phrase")
            self.domain()
            self.end()
        elif kind in ("SEMICOLON", "COMMA", "END"):
            self.f["memberP"] = str(self.glevel)
            if self.last == "SEMICOLON":
                self.glevel -= 1
                if self.glevel < 0:
                    raise _Refused("extraneous semi-colon")
            self.f["local"] = self.get("phrase")
            self.unset("phrase")
        else:
            raise _Refused(f"expecting mailbox (found {self.buffer})")
        return True

    def routeaddr(self, check: bool = True) -> bool:
        lookahead = self.pos
        if self.lexeme() == "ATSIGN":
            self.route()
        else:
            self.pos = lookahead
        self.local()
        if self.last == "ATSIGN":
            self.domain()
        elif self.last not in ("SEMICOLON", "RBRACKET", "COMMA", "END"):
            raise _Refused(f"expecting at-sign after local-part (found {self.buffer})")
        if check and self.last != "RBRACKET":
            raise _Refused(f"expecting right-bracket (found {self.buffer})")
        return True

    def route(self) -> None:
        self.f["route"] = "@"
        while True:
            if self.lexeme() in ("ATOM", "DLITERAL"):
                self.append("route", self.buffer)
            else:
                raise _Refused(f"expecting sub-route in route-part (found {self.buffer})")
            kind = self.lexeme()
            if kind == "COMMA":
                self.append("route", self.buffer)
                while True:
                    kind = self.lexeme()
                    if kind == "COMMA":
                        continue
                    if kind == "ATSIGN":
                        self.append("route", self.buffer)
                        break
                    raise _Refused(f"expecting at-sign in route (found {self.buffer})")
            elif kind in ("ATSIGN", "DOT"):
                self.append("route", self.buffer)
            elif kind == "COLON":
                self.append("route", self.buffer)
                return
            else:
                raise _Refused(f"expecting colon to terminate route (found {self.buffer})")

    def domain(self) -> None:
        while True:
            if self.lexeme() in ("ATOM", "DLITERAL"):
                self.append("domain", self.buffer)
            else:
                raise _Refused(f"expecting sub-domain in domain-part (found {self.buffer})")
            kind = self.lexeme()
            if kind == "DOT":
                self.append("domain", self.buffer)
            elif kind == "ATSIGN":
                # user@relay@host: the first domain joins the local part.
                self.append("local", "%", self.get("domain"))
                self.unset("domain")
            else:
                return

    def local(self) -> None:
        self.f["memberP"] = str(self.glevel)
        while True:
            if self.lexeme() in ("ATOM", "QSTRING"):
                self.append("local", self.buffer)
            else:
                raise _Refused(f"expecting mailbox in local-part (found {self.buffer})")
            if self.lexeme() == "DOT":
                self.append("local", self.buffer)
            else:
                return

    def phrase(self) -> bool:
        while True:
            while self.lexeme() in ("ATOM", "QSTRING"):
                self.append("phrase", " ", self.buffer)
            if self.last == "LBRACKET":
                return self.routeaddr()
            if self.last == "COLON":
                return self.group()
            if self.last == "DOT":
                self.append("phrase", self.buffer)
                continue
            raise _Refused(f"found phrase instead of mailbox ({self.get('phrase')}{self.buffer})")

    def group(self) -> bool:
        self.glevel += 1
        if self.glevel > 1:
            raise _Refused(f"nested groups not allowed (found {self.get('phrase')})")
        self.f["group"] = self.get("phrase")
        self.unset("phrase")
        lookahead = self.pos
        while True:
            kind = self.lexeme()
            if kind in ("SEMICOLON", "END"):
                self.glevel = 0
                return True
            if kind != "COMMA":
                self.pos = lookahead
                return self.specification()

    def end(self) -> None:
        if self.last == "SEMICOLON":
            self.glevel -= 1
            if self.glevel < 0:
                raise _Refused("extraneous semi-colon")
        elif self.last not in ("COMMA", "END"):
            raise _Refused(f"junk after local@domain (found {self.buffer})")


def _friendly(phrase: str, comment: str, local: str) -> str:
    friendly = phrase
    if friendly == "":
        if comment != "":
            note = comment
            if note.startswith("("):
                note = note[1:].lstrip(TCL_TRIM)
            if note.rfind(")") == len(note) - 1:
                note = note[:-1] if note else ""
            friendly = note
        if friendly == "" and local != "":
            mbox = local.strip('"')
            if not mbox.startswith("/"):
                friendly = mbox
            else:
                friendly = _x400(mbox, "PN")
                if friendly == "":
                    friendly = _x400(mbox, "S")
                    if friendly != "":
                        given = _x400(mbox, "G")
                        if given != "":
                            friendly = f"{given} {friendly}"
            if friendly == "":
                friendly = mbox
    return friendly.strip('"')


def parse_addresses(text: str, hostname: Optional[str] = None) -> list[dict[str, str]]:
    """``mime::parseaddress``: one dict per address, keys in tcllib's order.

    ``hostname`` completes addresses without a domain (tcllib uses
    ``[info hostname]``).
    """
    host = socket.gethostname() if hostname is None else hostname
    parser = _Parser(text)
    result = []
    while parser.next_address():
        f = {name: parser.get(name) for name in _FIELDS}
        tail = "@" + (f["domain"] if f["domain"] != "" else host)
        address = f["local"] + tail if f["local"] != "" else ""
        phrase = f["phrase"]
        if phrase != "":
            phrase = phrase.strip('"')
            if any(special in phrase for special in _SPECIALS):
                phrase = f'"{phrase}"'
            proper = f"{phrase} <{address}>"
        else:
            proper = address
        values = {"address": address, "comment": f["comment"], "domain": f["domain"],
                  "error": f["error"], "friendly": _friendly(phrase, f["comment"], f["local"]),
                  "group": f["group"], "local": f["local"], "memberP": f["memberP"],
                  "phrase": phrase, "proper": proper, "route": f["route"]}
        result.append({key: values[key] for key in KEYS})
    return result
