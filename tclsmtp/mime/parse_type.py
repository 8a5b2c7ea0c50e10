"""A Content-Type value as tcllib's ``::mime::parsetype`` reads it.

parsepart ignores parsetype's errors (a bad Content-Type leaves the part
text/plain), so only success and the result matter here, not the messages.
"""
from __future__ import annotations

from tclsmtp.mime.parse_tcl import array_order, tolower, trimleft

# tcllib's RFC 2045 token characters and the lexeme each one yields.
_TOKENS = {";": "SEMICOLON", ",": "COMMA", "<": "LBRACKET", ">": "RBRACKET", ":": "COLON",
           "?": "QUESTION", "(": "LPAREN", ")": "RPAREN", "@": "ATSIGN", '"': "QUOTE",
           "[": "LSQUARE", "]": "RSQUARE", "=": "EQUALS", "/": "SOLIDUS", "\\": "QUOTE"}
_ATOM_ENDS = frozenset(" \t\n") | frozenset(_TOKENS)


class _Invalid(Exception):
    """The value does not parse; tcllib then keeps the default type."""


class _Lexer:
    """``::mime::parselexeme`` over a Content-Type value."""

    def __init__(self, text: str) -> None:
        self.text = text

    def next(self) -> tuple[str, str]:
        """The next lexeme's kind and text (comments are skipped)."""
        while True:
            s = trimleft(self.text)
            if not s:
                self.text = s
                return "END", "end-of-input"
            c = s[0]
            if c == "(":
                self.text = self._skip_comment(s)
                continue
            if c == '"':
                end = self._close(s, '"', 1)
                self.text = s[end + 1:]
                return "QSTRING", s[:end + 1]
            if c == "[":
                end = self._close(s, "]", 1)
                self.text = s[end + 1:]
                return "DLITERAL", s[:end + 1]
            if c in _TOKENS:
                self.text = s[1:]
                return _TOKENS[c], c
            end = 1
            while end < len(s) and s[end] not in _ATOM_ENDS:
                end += 1
            self.text = s[end:]
            return "ATOM", s[:end]

    @staticmethod
    def _close(s: str, closer: str, i: int) -> int:
        """Index of the unescaped ``closer`` at or after ``i`` (backslash quotes)."""
        quoted = False
        while i < len(s):
            c = s[i]
            if quoted:
                quoted = False
            elif c == "\\":
                quoted = True
            elif c == closer:
                return i
            i += 1
        raise _Invalid

    @staticmethod
    def _skip_comment(s: str) -> str:
        """The text after a (possibly nested) comment that starts ``s``."""
        depth = 0
        quoted = False
        for i, c in enumerate(s):
            if quoted:
                quoted = False
            elif c == "\\":
                quoted = True
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth < 1:
                    return s[i + 1:]
        raise _Invalid


def parse_content_type(value: str) -> tuple[str, list[tuple[str, str]]] | None:
    """``(type/subtype, params in array order)``, or None where tcllib fails.

    The type and attribute names are lower-cased; values keep their case and,
    when quoted, everything between the quotes (backslashes included).
    """
    try:
        return _parse(_Lexer(value))
    except _Invalid:
        return None


def _expect(lexer: _Lexer, *kinds: str) -> tuple[str, str]:
    kind, text = lexer.next()
    if kind not in kinds:
        raise _Invalid
    return kind, text


def _parse(lexer: _Lexer) -> tuple[str, list[tuple[str, str]]]:
    content = tolower(_expect(lexer, "ATOM")[1])
    if _expect(lexer, "SOLIDUS", "END")[0] == "END":
        if content != "message":
            raise _Invalid
        return "message/rfc822", []
    content += "/" + tolower(_expect(lexer, "ATOM")[1])
    params: list[tuple[str, str]] = []
    while True:
        if _expect(lexer, "END", "SEMICOLON")[0] == "END":
            break
        kind, attribute = _expect(lexer, "END", "ATOM")
        if kind == "END":
            break
        _expect(lexer, "EQUALS")
        kind, text = _expect(lexer, "ATOM", "QSTRING")
        params.append((tolower(attribute), text[1:-1] if kind == "QSTRING" else text))
    return content, array_order(params)
