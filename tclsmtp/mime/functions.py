"""Primitives of the token-less mime:: commands (parseaddress, qp_encode, ...).

Each takes the Tcl command's arguments as strings, checks them the way the
tcllib proc would (argument counts, booleans, numbers) and returns what
tcllib returns. The work is done by the pure-Python modules next door.
"""
from __future__ import annotations

import functools

import re

from ..errors import ScriptError
from ..registry import PrimitiveSet
from ..session import Session
from . import address, charsets, qp, uniqueid, words

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Sequence

PRIMITIVES = PrimitiveSet()
primitive = PRIMITIVES.register



# ------------------------------------------------------- Tcl value rules

def wrong_args(usage: str) -> ScriptError:
    """Tcl's own message for a proc called with the wrong argument count."""
    return ScriptError(f'wrong # args: should be "{usage}"', ("TCL", "WRONGARGS"))


def check_arity(args: Sequence[str], required: int, optional: int, usage: str,
                variadic: bool = False) -> None:
    if len(args) < required or (not variadic and len(args) > required + optional):
        raise wrong_args(usage)


_TCL_INT = re.compile(r"[+-]?(?:0[xX][0-9a-fA-F]+|0[oO][0-7]+|0[bB][01]+|0[dD][0-9]+|[0-9]+)\Z")
_TCL_FLOAT = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?\Z")
_TCL_INF_NAN = re.compile(r"[+-]?(?:inf(?:inity)?|nan)\Z", re.IGNORECASE)
_TRUE_WORDS = ("true", "yes", "on")
_FALSE_WORDS = ("false", "no", "off")


def tcl_number(value: str) -> int | float | None:
    """The number Tcl's expr reads from an operand string, or None.

    Raises InvalidOctal for a decimal-looking string with a leading 0 that
    is not valid octal (Tcl 8.6 reads a leading 0 as octal).
    """
    text = value.strip(" \t\n\r\v\f")
    if _TCL_INT.match(text):
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        prefix = digits[:2].lower()
        if prefix in ("0x", "0o", "0b", "0d"):
            return sign * int(digits[2:], {"0x": 16, "0o": 8, "0b": 2, "0d": 10}[prefix])
        if len(digits) > 1 and digits.startswith("0"):
            if re.fullmatch(r"[0-7]+", digits):
                return sign * int(digits, 8)
            raise InvalidOctal(value)
        return sign * int(digits)
    if _TCL_FLOAT.match(text) or _TCL_INF_NAN.match(text):
        return float(text)
    return None


class InvalidOctal(ValueError):
    """An operand like ``09``: Tcl 8.6 refuses it as a number."""


def tcl_bool(value: str) -> bool:
    """What ``if {$value}`` decides, with Tcl's error texts."""
    try:
        number = tcl_number(value)
    except InvalidOctal:
        raise ScriptError(f'expected boolean value but got "{value}" (looks like invalid octal number)',
                          ("TCL", "VALUE", "NUMBER", "OCTAL")) from None
    if number is not None:
        if number != number:  # NaN
            raise ScriptError("floating point value is Not a Number", ("ARITH", "DOMAIN",
                              "domain error: argument not in valid range"))
        return number != 0
    word = value.lower()
    if word:
        hits = {w for w in _TRUE_WORDS + _FALSE_WORDS if w.startswith(word)}
        if len(hits) == 1:
            return hits.pop() in _TRUE_WORDS
    raise ScriptError(f'expected boolean value but got "{value}"', ("TCL", "VALUE", "NUMBER"))


# ---------------------------------------------------------- primitives

@primitive("mime.qp_encode")
def qp_encode(session: Session, *args: str) -> str:
    check_arity(args, 1, 2, "::mime::qp_encode string ?encoded_word? ?no_softbreak?")
    encoded_word = tcl_bool(args[1]) if len(args) > 1 else False
    no_softbreak = tcl_bool(args[2]) if len(args) > 2 else False
    return qp.qp_encode(args[0], encoded_word, no_softbreak)


@primitive("mime.qp_decode")
def qp_decode(session: Session, *args: str) -> str:
    check_arity(args, 1, 1, "::mime::qp_decode string ?encoded_word?")
    encoded_word = tcl_bool(args[1]) if len(args) > 1 else False
    return qp.qp_decode(args[0], encoded_word)


@primitive("mime.mapencoding")
def mapencoding(session: Session, *args: str) -> str:
    check_arity(args, 1, 0, "::mime::mapencoding enc")
    return charsets.mapencoding(args[0])


@primitive("mime.reversemapencoding")
def reversemapencoding(session: Session, *args: str) -> str:
    check_arity(args, 1, 0, "::mime::reversemapencoding mimeType")
    return charsets.reversemapencoding(args[0])


@primitive("mime.parseaddress")
def parseaddress(session: Session, *args: str) -> list[list[str]]:
    check_arity(args, 1, 0, "::mime::parseaddress string")
    return [[item for pair in props.items() for item in pair]
            for props in parsed_addresses(session, args[0])]


def parsed_addresses(session: Session, text: str) -> tuple[dict[str, str], ...]:
    """``mime::parseaddress text`` as property dicts (shared: not to be
    changed), for the smtp engine, which reads them as tcllib's smtp does."""
    # tcllib parses in a scratch token taken from the token counter, so
    # each call moves the numbering of later mime::initialize tokens.
    session.forget(session.new_token(None))
    return _parsed_addresses(text)


@functools.lru_cache(maxsize=256)
def _parsed_addresses(text: str) -> tuple[dict[str, str], ...]:
    """The parse of an address list, remembered: a loop of sends parses the
    same originator and recipients every time."""
    return tuple(address.parse_addresses(text))


def _arith_operand(value: str, operator: str) -> int | float:
    """A number for ``expr {$value OP ...}``, with Tcl's error texts."""
    try:
        number = tcl_number(value)
    except InvalidOctal:
        raise ScriptError(f'can\'t use invalid octal number as operand of "{operator}"',
                          ("ARITH", "DOMAIN", "invalid octal number")) from None
    if number is None:
        kind = "empty string" if value == "" else "non-numeric string"
        raise ScriptError(f'can\'t use {kind} as operand of "{operator}"',
                          ("ARITH", "DOMAIN", kind))
    if number != number:
        raise ScriptError(f'can\'t use non-numeric floating-point value as operand of "{operator}"',
                          ("ARITH", "DOMAIN", "non-numeric floating-point value"))
    return number


@primitive("mime.word_encode")
def word_encode(session: Session, *args: str) -> str:
    check_arity(args, 3, 0, "::mime::word_encode charset method string ?arg ...?", variadic=True)
    charset, method, text, options_list = args[0], args[1], args[2], args[3:]
    # tcllib's order of checks: charset, method, options, -charset_encoded,
    # empty text, then -maxlength (only read for a non-empty text).
    if charset not in charsets.ENCODINGS:
        raise ScriptError(f"unknown charset '{charset}'")
    if charsets.ENCODINGS[charset] == "":
        raise ScriptError(f"invalid charset '{charset}'")
    if method not in ("base64", "quoted-printable"):
        raise ScriptError(f"unknown method '{method}', must be base64 or quoted-printable")
    if len(options_list) % 2:
        raise ScriptError("list must have an even number of elements", ("TCL", "ARGUMENT", "FORMAT"))
    options = {"-charset_encoded": "1", "-maxlength": "66"}
    options.update(zip(options_list[::2], options_list[1::2]))
    charset_encoded = tcl_bool(options["-charset_encoded"])
    words.require_codec(charset)
    if (charsets.convertfrom(charset, text) if charset_encoded else text) == "":
        return ""
    maxlength = _arith_operand(options["-maxlength"], "-")
    return words.word_encode(charset, method, text, charset_encoded, maxlength,
                             options["-maxlength"])


@primitive("mime.word_decode")
def word_decode(session: Session, *args: str) -> list[str]:
    check_arity(args, 1, 0, "::mime::word_decode encoded")
    return words.word_decode(args[0])


@primitive("mime.field_decode")
def field_decode(session: Session, *args: str) -> str:
    check_arity(args, 1, 0, "::mime::field_decode field")
    return words.field_decode(args[0])


@primitive("mime.uniqueID")
def unique_id(session: Session, *args: str) -> str:
    check_arity(args, 0, 0, "::mime::uniqueID")
    return uniqueid.unique_id(session)


@primitive("mime.parsedatetime")
def parsedatetime(session: Session, *args: str) -> str:
    check_arity(args, 2, 0, "::mime::parsedatetime value property")
    from . import dates         # a large parser; loaded on first use
    return str(dates.parse_datetime(args[0], args[1]))
