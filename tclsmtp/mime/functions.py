"""Primitives of the token-less mime:: commands (parseaddress, qp_encode, ...).

Each takes the Tcl command's arguments as strings, checks them the way the
tcllib proc would (argument counts, booleans, numbers) and returns what
tcllib returns. The work is done by the pure-Python modules next door.
"""
from __future__ import annotations

import re
from typing import Sequence

from ..errors import ScriptError
from ..primitives import primitive
from ..session import Session
from . import address, charsets, qp


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
    return [[item for pair in parsed.items() for item in pair]
            for parsed in address.parse_addresses(args[0])]
