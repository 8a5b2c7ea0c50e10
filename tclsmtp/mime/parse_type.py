"""A Content-Type value as tcllib's ``::mime::parsetype`` reads it.

parsepart ignores parsetype's errors (a bad Content-Type leaves the part
text/plain), so only success and the result matter here, not the messages.
"""
from __future__ import annotations

from tclsmtp.mime.parse_tcl import TCL_WHITESPACE, array_order, tolower

# tcllib's RFC 2045 token characters and the lexeme each one yields.
_TOKENS = {";": "SEMICOLON", ",": "COMMA", "<": "LBRACKET", ">": "RBRACKET", ":": "COLON",
           "?": "QUESTION", "(": "LPAREN", ")": "RPAREN", "@": "ATSIGN", '"': "QUOTE",
           "[": "LSQUARE", "]": "RSQUARE", "=": "EQUALS", "/": "SOLIDUS", "\\": "QUOTE"}
_ATOM_ENDS = frozenset(" \t\n") | frozenset(_TOKENS)
_BLANKS = frozenset(TCL_WHITESPACE)  # string trimleft's characters


class _Invalid(Exception):
    """The value does not parse; tcllib then keeps the default type."""


class _Lexer:
    """``::mime::parselexeme`` over a Content-Type value.

    It moves an index instead of slicing off what it read: a slice per
    lexeme made a Content-Type with 100,000 parameters take 23 s.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def _skip_blanks(self) -> int:
        text, i = self.text, self.pos
        while i < len(text) and text[i] in _BLANKS:
            i += 1
        return i

    def next(self) -> tuple[str, str]:
        """The next lexeme's kind and text (comments are skipped)."""
        text = self.text
        while True:
            i = self.pos = self._skip_blanks()
            if i >= len(text):
                return "END", "end-of-input"
            c = text[i]
            if c == "(":
                self.pos = self._skip_comment(text, i)
                continue
            if c == '"':
                end = self._close(text, '"', i + 1)
                self.pos = end + 1
                return "QSTRING", text[i:end + 1]
            if c == "[":
                end = self._close(text, "]", i + 1)
                self.pos = end + 1
                return "DLITERAL", text[i:end + 1]
            if c in _TOKENS:
                self.pos = i + 1
                return _TOKENS[c], c
            end = i + 1
            while end < len(text) and text[end] not in _ATOM_ENDS:
                end += 1
            self.pos = end
            return "ATOM", text[i:end]

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
    def _skip_comment(s: str, start: int) -> int:
        """Where the text after a (possibly nested) comment at ``start`` begins."""
        depth = 0
        quoted = False
        for i in range(start, len(s)):
            c = s[i]
            if quoted:
                quoted = False
            elif c == "\\":
                quoted = True
            elif c == "(":
                depth += 1
            elif c == ")":
                depth -= 1
                if depth < 1:
                    return i + 1
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
