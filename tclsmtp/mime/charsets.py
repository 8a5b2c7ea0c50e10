"""tcllib's charset tables and Tcl's encodings, in Python.

``mapencoding`` / ``reversemapencoding`` follow tcllib's two tables
(``encList`` and ``encAliasList`` in mime.tcl). ``convertto`` and
``convertfrom`` behave like Tcl 8.6's ``encoding convertto/convertfrom``
for the encodings those tables name: unencodable characters become
``?``, undecodable bytes become the character with the same code (Tcl's
fallback), and a "byte string" argument given as ``str`` keeps only the low
8 bits of each character, as Tcl does.
"""
from __future__ import annotations

import codecs
import re

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional

# tcllib's encList: Tcl encoding -> MIME charset ("" = no MIME name), in its order.
ENCODINGS: dict[str, str] = {
    "ascii": "US-ASCII", "big5": "Big5",
    "cp1250": "Windows-1250", "cp1251": "Windows-1251", "cp1252": "Windows-1252",
    "cp1253": "Windows-1253", "cp1254": "Windows-1254", "cp1255": "Windows-1255",
    "cp1256": "Windows-1256", "cp1257": "Windows-1257", "cp1258": "Windows-1258",
    "cp437": "IBM437", "cp737": "", "cp775": "IBM775", "cp850": "IBM850",
    "cp852": "IBM852", "cp855": "IBM855", "cp857": "IBM857", "cp860": "IBM860",
    "cp861": "IBM861", "cp862": "IBM862", "cp863": "IBM863", "cp864": "IBM864",
    "cp865": "IBM865", "cp866": "IBM866", "cp869": "IBM869", "cp874": "",
    "cp932": "", "cp936": "GBK", "cp949": "", "cp950": "", "dingbats": "",
    "ebcdic": "", "euc-cn": "EUC-CN", "euc-jp": "EUC-JP", "euc-kr": "EUC-KR",
    "gb12345": "GB12345", "gb1988": "GB1988", "gb2312": "GB2312",
    "iso2022": "ISO-2022", "iso2022-jp": "ISO-2022-JP", "iso2022-kr": "ISO-2022-KR",
    "iso8859-1": "ISO-8859-1", "iso8859-2": "ISO-8859-2", "iso8859-3": "ISO-8859-3",
    "iso8859-4": "ISO-8859-4", "iso8859-5": "ISO-8859-5", "iso8859-6": "ISO-8859-6",
    "iso8859-7": "ISO-8859-7", "iso8859-8": "ISO-8859-8", "iso8859-9": "ISO-8859-9",
    "iso8859-10": "ISO-8859-10", "iso8859-13": "ISO-8859-13",
    "iso8859-14": "ISO-8859-14", "iso8859-15": "ISO-8859-15",
    "iso8859-16": "ISO-8859-16", "jis0201": "JIS_X0201", "jis0208": "JIS_C6226-1983",
    "jis0212": "JIS_X0212-1990", "koi8-r": "KOI8-R", "koi8-u": "KOI8-U",
    "ksc5601": "KS_C_5601-1987", "macCentEuro": "", "macCroatian": "",
    "macCyrillic": "", "macDingbats": "", "macGreek": "", "macIceland": "",
    "macJapan": "", "macRoman": "", "macRomania": "", "macThai": "",
    "macTurkish": "", "macUkraine": "", "shiftjis": "Shift_JIS", "symbol": "",
    "tis-620": "TIS-620", "unicode": "", "utf-8": "UTF-8",
}

# tcllib's encAliasList: (Tcl encoding, MIME alias), applied after ENCODINGS.
_ALIASES: tuple[tuple[str, str], ...] = (
    ("ascii", "ANSI_X3.4-1968"), ("ascii", "iso-ir-6"), ("ascii", "ANSI_X3.4-1986"),
    ("ascii", "ISO_646.irv:1991"), ("ascii", "ASCII"), ("ascii", "ISO646-US"),
    ("ascii", "us"), ("ascii", "IBM367"), ("ascii", "cp367"),
    ("cp437", "cp437"), ("cp437", "437"), ("cp775", "cp775"),
    ("cp850", "cp850"), ("cp850", "850"), ("cp852", "cp852"), ("cp852", "852"),
    ("cp855", "cp855"), ("cp855", "855"), ("cp857", "cp857"), ("cp857", "857"),
    ("cp860", "cp860"), ("cp860", "860"), ("cp861", "cp861"), ("cp861", "861"),
    ("cp861", "cp-is"), ("cp862", "cp862"), ("cp862", "862"), ("cp863", "cp863"),
    ("cp863", "863"), ("cp864", "cp864"), ("cp865", "cp865"), ("cp865", "865"),
    ("cp866", "cp866"), ("cp866", "866"), ("cp869", "cp869"), ("cp869", "869"),
    ("cp869", "cp-gr"), ("cp936", "CP936"), ("cp936", "MS936"), ("cp936", "Windows-936"),
    ("iso8859-1", "ISO_8859-1:1987"), ("iso8859-1", "iso-ir-100"),
    ("iso8859-1", "ISO_8859-1"), ("iso8859-1", "latin1"), ("iso8859-1", "l1"),
    ("iso8859-1", "IBM819"), ("iso8859-1", "CP819"),
    ("iso8859-2", "ISO_8859-2:1987"), ("iso8859-2", "iso-ir-101"),
    ("iso8859-2", "ISO_8859-2"), ("iso8859-2", "latin2"), ("iso8859-2", "l2"),
    ("iso8859-3", "ISO_8859-3:1988"), ("iso8859-3", "iso-ir-109"),
    ("iso8859-3", "ISO_8859-3"), ("iso8859-3", "latin3"), ("iso8859-3", "l3"),
    ("iso8859-4", "ISO_8859-4:1988"), ("iso8859-4", "iso-ir-110"),
    ("iso8859-4", "ISO_8859-4"), ("iso8859-4", "latin4"), ("iso8859-4", "l4"),
    ("iso8859-5", "ISO_8859-5:1988"), ("iso8859-5", "iso-ir-144"),
    ("iso8859-5", "ISO_8859-5"), ("iso8859-5", "cyrillic"),
    ("iso8859-6", "ISO_8859-6:1987"), ("iso8859-6", "iso-ir-127"),
    ("iso8859-6", "ISO_8859-6"), ("iso8859-6", "ECMA-114"), ("iso8859-6", "ASMO-708"),
    ("iso8859-6", "arabic"),
    ("iso8859-7", "ISO_8859-7:1987"), ("iso8859-7", "iso-ir-126"),
    ("iso8859-7", "ISO_8859-7"), ("iso8859-7", "ELOT_928"), ("iso8859-7", "ECMA-118"),
    ("iso8859-7", "greek"), ("iso8859-7", "greek8"),
    ("iso8859-8", "ISO_8859-8:1988"), ("iso8859-8", "iso-ir-138"),
    ("iso8859-8", "ISO_8859-8"), ("iso8859-8", "hebrew"),
    ("iso8859-9", "ISO_8859-9:1989"), ("iso8859-9", "iso-ir-148"),
    ("iso8859-9", "ISO_8859-9"), ("iso8859-9", "latin5"), ("iso8859-9", "l5"),
    ("iso8859-10", "iso-ir-157"), ("iso8859-10", "l6"),
    ("iso8859-10", "ISO_8859-10:1992"), ("iso8859-10", "latin6"),
    ("iso8859-14", "iso-ir-199"), ("iso8859-14", "ISO_8859-14:1998"),
    ("iso8859-14", "ISO_8859-14"), ("iso8859-14", "latin8"),
    ("iso8859-14", "iso-celtic"), ("iso8859-14", "l8"),
    ("iso8859-15", "ISO_8859-15"), ("iso8859-15", "Latin-9"),
    ("iso8859-16", "iso-ir-226"), ("iso8859-16", "ISO_8859-16:2001"),
    ("iso8859-16", "ISO_8859-16"), ("iso8859-16", "latin10"), ("iso8859-16", "l10"),
    ("jis0201", "X0201"), ("jis0208", "iso-ir-87"), ("jis0208", "x0208"),
    ("jis0208", "JIS_X0208-1983"), ("jis0212", "x0212"), ("jis0212", "iso-ir-159"),
    ("ksc5601", "iso-ir-149"), ("ksc5601", "KS_C_5601-1989"), ("ksc5601", "KSC5601"),
    ("ksc5601", "korean"), ("shiftjis", "MS_Kanji"), ("utf-8", "UTF8"),
)


def _reverse_map() -> dict[str, str]:
    reverse = {mime.lower(): enc for enc, mime in ENCODINGS.items() if mime}
    for enc, mime in _ALIASES:
        reverse[mime.lower()] = enc
    return reverse


REVERSE_MAP: dict[str, str] = _reverse_map()


def mapencoding(tcl_encoding: str) -> str:
    """tcllib's MIME charset for a Tcl encoding name (case matters), or ""."""
    return ENCODINGS.get(tcl_encoding, "")


def reversemapencoding(charset: str) -> str:
    """tcllib's Tcl encoding for a MIME charset (any case), or ""."""
    return REVERSE_MAP.get(charset.lower(), "")


# ---------------------------------------------------------------- codecs

# Tcl encoding -> Python codec. Tcl encodings without a Python equivalent
# (gb12345, dingbats, symbol, macThai, macDingbats, macJapan) are missing;
# jis0201, gb1988, jis0208, jis0212, ksc5601 and the ISO-2022 escape
# encodings are built below from Tcl's rules.
PYTHON_CODECS: dict[str, str] = {
    "ascii": "ascii", "big5": "big5", "cp932": "cp932", "cp936": "gbk",
    "cp949": "cp949", "cp950": "cp950", "euc-cn": "gb2312", "euc-jp": "euc_jp",
    "euc-kr": "euc_kr", "gb2312": "gb2312", "koi8-r": "koi8_r", "koi8-u": "koi8_u",
    "shiftjis": "shift_jis", "tis-620": "tis_620", "unicode": "utf-16-le",
    "utf-8": "utf-8", "ebcdic": "cp037",
    "macRoman": "mac_roman", "macCyrillic": "mac_cyrillic", "macGreek": "mac_greek",
    "macCentEuro": "mac_latin2", "macIceland": "mac_iceland",
    "macTurkish": "mac_turkish", "macCroatian": "mac_croatian",
    "macRomania": "mac_romanian", "macUkraine": "mac_cyrillic",
}
PYTHON_CODECS.update({f"cp{n}": f"cp{n}" for n in (
    1250, 1251, 1252, 1253, 1254, 1255, 1256, 1257, 1258, 437, 737, 775, 850, 852,
    855, 857, 860, 861, 862, 863, 864, 865, 866, 869, 874)})
PYTHON_CODECS.update({f"iso8859-{n}": f"iso8859_{n}" for n in (
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 14, 15, 16)})

# Where Tcl's own tables differ from Python's codec (measured with tclsh 8.6).
_TABLE_OVERRIDES: dict[str, dict[int, int]] = {
    "koi8-u": {0xB4: 0x0403},
    "macGreek": {0x9C: 0x00AD, 0xFF: 0xF8A0},
    "macRomania": {0xAF: 0x015E, 0xBD: 0x2126, 0xBF: 0x015F, 0xDB: 0x00A4,
                   0xDE: 0x0162, 0xDF: 0x0163},
    "macUkraine": {0xFF: 0x00A4},
    "ebcdic": {0x04: 0x0085, 0x08: 0x0087, 0x14: 0x008F, 0x15: 0x000A, 0x17: 0x0097,
               0x1A: 0x009C, 0x1B: 0x009D, 0x25: 0x0092, 0x4A: 0x0060, 0x5F: 0x009F,
               0x6A: 0x005E, 0x79: 0x00A8, 0xA1: 0x00AF, 0xB0: 0x00A2, 0xBA: 0x00AC,
               0xBB: 0x005B, 0xBC: 0x005C, 0xBD: 0x005D, 0xC0: 0x00F9, 0xD0: 0x00A6,
               0xDD: 0x00DB, 0xE0: 0x00D9, 0xFB: 0x007B, 0xFD: 0x007D, 0xFF: 0x007E},
}

# Bytes Tcl's tables map to the same code (mostly C1 controls) where
# Python's codec leaves them undefined, and bytes Tcl leaves undefined.
_C1 = tuple(range(0x80, 0xA0))
_EXTRA_IDENTITY: dict[str, tuple[int, ...]] = {
    "cp1250": (0x81, 0x83, 0x88, 0x90, 0x98), "cp1251": (0x98,),
    "cp1252": (0x81, 0x8D, 0x8F, 0x90, 0x9D),
    "cp1253": (0x81, 0x88, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x98, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F),
    "cp1254": (0x81, 0x8D, 0x8E, 0x8F, 0x90, 0x9D, 0x9E),
    "cp1255": (0x81, 0x8A, 0x8C, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9C, 0x9D, 0x9E, 0x9F),
    "cp1257": (0x81, 0x83, 0x88, 0x8A, 0x8C, 0x90, 0x98, 0x9A, 0x9C, 0x9F),
    "cp1258": (0x81, 0x8A, 0x8D, 0x8E, 0x8F, 0x90, 0x9A, 0x9D, 0x9E),
    "cp864": (0x9B, 0x9C, 0x9F), "cp869": (0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x87, 0x93, 0x94),
    "cp874": (0x81, 0x82, 0x83, 0x84, 0x86, 0x87, 0x88, 0x89, 0x8A, 0x8B, 0x8C, 0x8D, 0x8E, 0x8F,
              0x90, 0x98, 0x99, 0x9A, 0x9B, 0x9C, 0x9D, 0x9E, 0x9F),
    "jis0201": _C1, "gb1988": _C1,
}
_UNDEFINED: dict[str, tuple[int, ...]] = {"ascii": (0x7F,), "tis-620": (0x7F,) + _C1}

# JIS X 0201 (Roman + half-width katakana) and GB 1988, as Tcl defines them.
_KATAKANA = {b: 0xFF61 + b - 0xA1 for b in range(0xA1, 0xE0)}
_HANDMADE_TABLES: dict[str, dict[int, int]] = {
    "jis0201": {**{b: b for b in range(0x80)}, 0x7E: 0x203E, **_KATAKANA},
    "gb1988": {**{b: b for b in range(0x80)}, 0x24: 0x00A5, 0x7E: 0x203E, **_KATAKANA},
}

# 94x94 double-byte sets Tcl keeps in their raw (7-bit) form; Python has them in EUC form.
# Every byte is a lead byte there, and Tcl writes its table's own fallback
# character (a full-width "?" or similar) for what the table lacks.
_RAW_DOUBLE_BYTE = {"jis0208": ("euc_jp", b""), "jis0212": ("euc_jp", b"\x8f"),
                    "ksc5601": ("euc_kr", b"")}
_RAW_FALLBACK = {"jis0208": b"!)", "jis0212": b'"D', "ksc5601": b"#?"}
_RAW_ENCODE_EXTRA: dict[str, dict[str, bytes]] = {
    "jis0212": {"~": b'"7'}, "ksc5601": {"\u20ac": b"#?", "\u00ae": b"#?"}}
_RAW_UNDEFINED: dict[str, set[bytes]] = {"ksc5601": {b'"f', b'"g'}}
_EUC_OF_RAW = {"jis0208": "euc-jp", "jis0212": "euc-jp", "ksc5601": "euc-kr"}

_SINGLE_BYTE = {name for name, codec in PYTHON_CODECS.items()
                if name.startswith(("cp12", "cp4", "cp7", "cp8", "iso8859", "koi8", "mac"))
                or name in ("ascii", "tis-620", "ebcdic")} - {"cp932", "cp936", "cp949", "cp950"}


class _Table:
    """A single-byte Tcl table: decoding falls back to the byte's own code."""

    def __init__(self, defined: dict[int, int]) -> None:
        self.translation = {b: chr(code) for b, code in defined.items() if code != b}
        self.encode_map: dict[int, int] = {}
        for byte, code in sorted(defined.items(), reverse=True):
            self.encode_map[code] = byte

    def encode(self, text: str) -> bytes:
        get = self.encode_map.get
        return bytes(get(ord(c), 0x3F) for c in text)

    def decode(self, data: bytes) -> str:
        return data.decode("latin-1").translate(self.translation)


_TABLES: dict[str, _Table] = {}


def _table(name: str) -> _Table:
    table = _TABLES.get(name)
    if table is None:
        if name in _HANDMADE_TABLES:
            defined = dict(_HANDMADE_TABLES[name])
        else:
            codec = PYTHON_CODECS[name]
            defined = {}
            for b in range(256):
                try:
                    defined[b] = ord(bytes([b]).decode(codec))
                except UnicodeDecodeError:
                    pass
            defined.update(_TABLE_OVERRIDES.get(name, {}))
        defined.update((b, b) for b in _EXTRA_IDENTITY.get(name, ()))
        for b in _UNDEFINED.get(name, ()):
            defined.pop(b, None)
        table = _TABLES[name] = _Table(defined)
    return table


# Stateless double-byte encodings, encoded one character at a time so that
# Tcl's table rules apply: C1 controls pass as single bytes, Python's
# best-fit mappings (U+00A5 -> 0x5C in Shift_JIS) and characters outside
# Tcl's table (JIS X 0212 in EUC-JP, KS X 1001:1998 additions) become "?".
_MULTI_BYTE = {"big5", "cp932", "cp936", "cp949", "cp950", "euc-cn", "euc-jp", "euc-kr",
               "gb2312", "shiftjis"}
_C1_PASSES = {"big5", "euc-cn", "euc-jp", "euc-kr", "gb2312"}
# Measured with tclsh 8.6: characters Tcl's tables encode differently from
# the rules above (b"?" = not in Tcl's table).
_MULTI_BYTE_EXTRA: dict[str, dict[str, bytes]] = {
    "big5": {"\u02cd": b"?", "\u2574": b"?", "\uffe3": b"?", "\ufffd": b"\xa2\xce"},
    "cp936": {"\u20ac": b"\x80"},
    "euc-cn": {"\u2016": b"?"}, "gb2312": {"\u2016": b"?"},
    "euc-jp": {"\u008e": b"?", "\u2225": b"\xa1\xc2", "\uff0d": b"\xa1\xdd", "\uff5e": b"\xa1\xc1",
               "\uffe0": b"\xa1\xf1", "\uffe1": b"\xa1\xf2", "\uffe2": b"\xa2\xcc"},
    "euc-kr": {"\u00ae": b"?", "\u20ac": b"?", "\u3164": b"\xa4\xd4"},
    "shiftjis": {"\u0080": b"\x80", "\u0085": b"\x85", "\u0086": b"\x86", "\u0087": b"\x87",
                 "\u2225": b"\x81\x61", "\uff0d": b"\x81\x7c", "\uff5e": b"\x81\x60",
                 "\uffe0": b"\x81\x91", "\uffe1": b"\x81\x92", "\uffe2": b"\x81\xca"},
}


# Lead bytes of Tcl's double-byte tables (measured: a lone one converts to "").
def _ranges(*spans: tuple[int, int]) -> frozenset[int]:
    return frozenset(b for lo, hi in spans for b in range(lo, hi + 1))


_LEAD_BYTES: dict[str, frozenset[int]] = {
    "shiftjis": _ranges((0x81, 0x84), (0x88, 0x9F), (0xE0, 0xEA)),
    "euc-kr": _ranges((0xA1, 0xAC), (0xB0, 0xC8), (0xCA, 0xFD)),
    "euc-jp": _ranges((0x8E, 0x8E), (0xA1, 0xA8), (0xB0, 0xF4)),
    "big5": _ranges((0xA1, 0xC7), (0xC9, 0xF9)),
    "euc-cn": _ranges((0xA1, 0xA9), (0xB0, 0xF7)),
    "gb2312": _ranges((0xA1, 0xA9), (0xB0, 0xF7)),
    "cp936": _ranges((0x81, 0xFE)),
    "cp932": _ranges((0x81, 0x84), (0x87, 0x9F), (0xE0, 0xEA), (0xED, 0xEE), (0xFA, 0xFC)),
    "cp949": _ranges((0x81, 0xC8), (0xCA, 0xFD)),
    "cp950": _ranges((0xA1, 0xC6), (0xC9, 0xF9)),
}
# Pairs Tcl's tables read differently from Python's codec ("" = undefined).
_PAIR_OVERRIDES: dict[str, dict[bytes, str]] = {
    "shiftjis": {b"\x96\xff": "\uff5e"},
    "euc-kr": {b"\xa2\xe6": "", b"\xa2\xe7": "", b"\xa4\xd4": "\u3164"},
    "big5": {b"\xa1\x5a": "\ufffd", b"\xa1\xc3": "\ufffd", b"\xa1\xc5": "\ufffd",
             b"\xa1\xfe": "\ufffd", b"\xa2\x40": "\ufffd", b"\xa2\xcc": "\ufffd",
             b"\xa2\xce": "\ufffd"},
    "euc-cn": {b"\xa1\xac": "\u2225"}, "gb2312": {b"\xa1\xac": "\u2225"},
}
_SINGLE_OVERRIDES: dict[str, dict[int, str]] = {"cp936": {0x80: "\u20ac"}}


def _decode_multibyte(name: str, raw: bytes) -> str:
    """Tcl's table decoder: a lead byte takes the next byte; an undefined
    pair gives the lead byte's own code and goes on at the next byte; a
    lead byte at the very end is dropped."""
    codec = PYTHON_CODECS[name]
    leads = _LEAD_BYTES[name]
    pairs = _PAIR_OVERRIDES.get(name, {})
    singles = _SINGLE_OVERRIDES.get(name, {})
    out: list[str] = []
    i, n = 0, len(raw)
    while i < n:
        byte = raw[i]
        if byte < 0x80 and byte not in leads:
            j = i + 1
            while j < n and raw[j] < 0x80:
                j += 1
            out.append(raw[i:j].decode("ascii"))
            i = j
            continue
        if byte in leads:
            if i + 1 >= n:
                break
            pair = raw[i:i + 2]
            ch = pairs.get(pair)  # type: ignore[assignment]
            if ch is None:
                try:
                    ch = pair.decode(codec)
                except UnicodeDecodeError:
                    ch = ""
                if len(ch) != 1:
                    ch = ""
            if ch:
                out.append(ch)
                i += 2
            else:
                out.append(chr(byte))
                i += 1
            continue
        ch = singles.get(byte)
        if ch is None:
            try:
                ch = bytes([byte]).decode(codec)
            except UnicodeDecodeError:
                ch = chr(byte)
        out.append(ch)
        i += 1
    return "".join(out)


def _encode_raw_double_byte(name: str, text: str) -> bytes:
    codec, prefix = _RAW_DOUBLE_BYTE[name]
    out = bytearray()
    for ch in text:
        if ch == "\x00":
            out += b"\x00\x00"
            continue
        if ch in _RAW_ENCODE_EXTRA.get(name, {}):
            out += _RAW_ENCODE_EXTRA[name][ch]
            continue
        # jis0208 and ksc5601 are EUC-JP's and EUC-KR's double-byte halves.
        euc = _encode_multibyte(_EUC_OF_RAW[name], ch) if not prefix else ch.encode(codec, "ignore")
        if len(euc) == 2 + len(prefix) and euc.startswith(prefix) and min(euc[-2:]) >= 0xA1:
            out += bytes(b & 0x7F for b in euc[len(prefix):])
        else:
            out += _RAW_FALLBACK[name]
    return bytes(out)


def _decode_raw_double_byte(name: str, raw: bytes) -> str:
    codec, prefix = _RAW_DOUBLE_BYTE[name]
    out: list[str] = []
    i, n = 0, len(raw)
    while i + 1 < n:  # a byte left alone at the end is dropped
        first, second = raw[i], raw[i + 1]
        if first == 0:
            out.append("\x00")
            i += 2
            continue
        ch = ""
        if (0x21 <= first <= 0x7E and 0x21 <= second <= 0x7E
                and raw[i:i + 2] not in _RAW_UNDEFINED.get(name, ())):
            euc = prefix + bytes([first | 0x80, second | 0x80])
            override = None if prefix else _PAIR_OVERRIDES.get(_EUC_OF_RAW[name], {}).get(euc)
            if override is not None:
                ch = override
            else:
                try:
                    ch = euc.decode(codec)
                except UnicodeDecodeError:
                    ch = ""
        if len(ch) == 1:
            out.append(ch)
            i += 2
        else:
            out.append(chr(first))
            i += 1
    return "".join(out)


def _encode_multibyte(name: str, text: str) -> bytes:
    codec = PYTHON_CODECS[name]
    extra = _MULTI_BYTE_EXTRA.get(name, {})
    out = bytearray()
    for ch in text:
        if ch < "\x80":
            out += ch.encode("ascii")
        elif ch in extra:
            out += extra[ch]
        elif ch <= "\x9f" and name in _C1_PASSES:
            out.append(ord(ch))
        else:
            try:
                encoded = ch.encode(codec)
            except UnicodeEncodeError:
                out += b"?"
                continue
            if (encoded.decode(codec, "replace") != ch or len(encoded) > 2
                    or (name == "euc-jp" and encoded[0] == 0x8F)):
                out += b"?"
            else:
                out += encoded
    return bytes(out)


# ---------------------------------------------------------- ISO 2022

# Tcl's escape-driven encodings (its iso2022*.enc): an initial and a final
# sequence, and sub-tables each selected by its sequence, tried in order.
_ESCAPE_ENCODINGS: dict[str, tuple[bytes, bytes, tuple[tuple[str, bytes], ...]]] = {
    "iso2022-jp": (b"", b"", (("ascii", b"\x1b(B"), ("jis0201", b"\x1b(J"), ("jis0208", b"\x1b$B"),
                              ("jis0208", b"\x1b$@"), ("jis0212", b"\x1b$(D"), ("gb2312", b"\x1b$A"),
                              ("ksc5601", b"\x1b$(C"))),
    "iso2022-kr": (b"\x1b$)C", b"", (("iso8859-1", b"\x0f"), ("ksc5601", b"\x0e"))),
    "iso2022": (b"", b"", (("iso8859-1", b"\x1b(B"), ("jis0201", b"\x1b(J"), ("gb1988", b"\x1b(T"),
                           ("jis0208", b"\x1b$B"), ("jis0208", b"\x1b$@"), ("jis0212", b"\x1b$(D"),
                           ("gb2312", b"\x1b$A"), ("ksc5601", b"\x1b$(C"),
                           ("jis0208", b"\x1b&@\x1b$B"))),
}


_WORD_MAPS: dict[str, dict[str, bytes]] = {}


def _word_map(name: str) -> dict[str, bytes]:
    """Every character of a double-byte Tcl table with its bytes (built once
    from the table's decoder, then kept where the encoder agrees)."""
    words = _WORD_MAPS.get(name)
    if words is None:
        if name in _RAW_DOUBLE_BYTE:
            decode, encode = _decode_raw_double_byte, _encode_raw_double_byte
            pairs = [bytes([a, b]) for a in range(0x21, 0x7F) for b in range(0x21, 0x7F)]
            extra = list(_RAW_ENCODE_EXTRA.get(name, {})) + list(
                _MULTI_BYTE_EXTRA.get(_EUC_OF_RAW[name], {}))
        else:  # gb2312: EUC form with ASCII and C1 controls as single bytes
            decode, encode = _decode_multibyte, _encode_multibyte
            pairs = [bytes([a, b]) for a in _LEAD_BYTES[name] for b in range(0xA1, 0xFF)]
            extra = [chr(c) for c in range(0xA0)] + list(_MULTI_BYTE_EXTRA.get(name, {}))
        candidates = {decode(name, pair) for pair in pairs} | set(extra)
        fallback = _RAW_FALLBACK.get(name, b"?")
        fallback_char = decode(name, fallback)
        words = {}
        for ch in candidates:
            if len(ch) != 1 or ch == "\x00":
                continue
            word = encode(name, ch)
            if word != fallback or ch == fallback_char:
                words[ch] = word
        _WORD_MAPS[name] = words
    return words


def _table_word(name: str, ch: str) -> Optional[bytes]:
    """The bytes of ``ch`` in Tcl's table ``name``, or None when it has none."""
    if name in _RAW_DOUBLE_BYTE or name == "gb2312":
        return _word_map(name).get(ch)
    word_byte = _table(name).encode_map.get(ord(ch))
    return None if word_byte is None else bytes([word_byte])


def _table_fallback(name: str) -> bytes:
    return _RAW_FALLBACK.get(name, b"?")


def _encode_escape(name: str, text: str) -> bytes:
    init, final, subtables = _ESCAPE_ENCODINGS[name]
    out = bytearray(init)
    state = 0
    for ch in text:
        word = _table_word(subtables[state][0], ch) if ch != "\x00" else None
        if ch == "\x00":
            # NUL is in every table: one zero byte, or two for double-byte ones.
            word = b"\x00\x00" if subtables[state][0] in _RAW_DOUBLE_BYTE else b"\x00"
        if word is None:
            for index, (table, sequence) in enumerate(subtables):
                word = _table_word(table, ch)
                if word is not None:
                    if index != state:
                        out += sequence
                        state = index
                    break
            else:
                word = _table_fallback(subtables[state][0])
        out += word
    if state:
        out += subtables[0][1]
    out += final
    return bytes(out)


def _decode_escape_unit(table: str, raw: bytes, i: int) -> tuple[str, int]:
    """One character of sub-table ``table`` at ``i``; undefined entries give
    U+0000 (escape decoding has no byte fallback). ("", 0): lone lead byte."""
    if table in _RAW_DOUBLE_BYTE:
        if i + 1 >= len(raw):
            return "", 0
        ch = _decode_raw_double_byte(table, raw[i:i + 2])
        return (ch if len(ch) == 1 and raw[i] != 0 or raw[i:i + 2] == b"\x00\x00" else "\x00"), 2
    if table == "gb2312":
        if raw[i] in _LEAD_BYTES[table]:
            if i + 1 >= len(raw):
                return "", 0
            ch = _decode_multibyte(table, raw[i:i + 2])
            return (ch if len(ch) == 1 else "\x00"), 2
        ch = _decode_multibyte(table, raw[i:i + 1])
        return (ch if raw[i] < 0x80 else "\x00"), 1
    t = _table(table)
    byte = raw[i]
    ch = t.translation.get(byte, chr(byte))
    return (ch if t.encode_map.get(ord(ch)) == byte else "\x00"), 1


def _decode_escape(name: str, raw: bytes) -> str:
    init, final, subtables = _ESCAPE_ENCODINGS[name]
    sequences = [init, final] + [sequence for _, sequence in subtables]
    starters = {sequence[0] for sequence in sequences if sequence}
    longest = max(len(sequence) for sequence in sequences)
    out: list[str] = []
    state = 0
    i, n = 0, len(raw)
    while i < n:
        if raw[i] in starters:
            if init and raw.startswith(init, i):
                i += len(init)
                continue
            if final and raw.startswith(final, i):
                i += len(final)
                continue
            for index, (_, sequence) in enumerate(subtables):
                if raw.startswith(sequence, i):
                    state = index
                    i += len(sequence)
                    break
            else:
                i += longest  # an unknown sequence: Tcl skips the longest length
            continue
        ch, used = _decode_escape_unit(subtables[state][0], raw, i)
        if not used:
            break
        out.append(ch)
        i += used
    return "".join(out)


def _byte_fallback(err: UnicodeError) -> tuple[str, int]:
    """Tcl's decoding fallback: each bad byte becomes the character of that code.

    Tcl's UTF-8 decoder also accepts UTF-8-encoded surrogates (ED A0..BF xx):
    a high and a low one make one character; a lone one stays a surrogate,
    given here as tkinter hands such a Tcl character to Python (its three
    bytes, surrogate-escaped), since a bare surrogate cannot go back to Tcl.
    """
    assert isinstance(err, UnicodeDecodeError)
    data, start = err.object, err.start
    if err.encoding in ("utf-8", "utf8"):
        if _is_surrogate_triple(data, start):
            if 0xA0 <= data[start + 1] <= 0xAF and _is_surrogate_triple(data, start + 3) \
                    and data[start + 4] >= 0xB0:
                pair = bytes(data[start:start + 6]).decode("utf-8", "surrogatepass")
                return pair.encode("utf-16-le", "surrogatepass").decode("utf-16-le"), start + 6
            return bytes(data[start:start + 3]).decode("utf-8", "surrogateescape"), start + 3
        return chr(data[start]), start + 1
    return "".join(map(chr, data[start:err.end])), err.end


_LONE_SURROGATE = re.compile("[\ud800-\udc7f\udd00-\udfff]")


def tkinter_form(text: str) -> str:
    """``text`` as tkinter represents a Tcl string: a lone surrogate (which
    Tcl 8.6 strings may hold) as its three UTF-8 bytes, surrogate-escaped.
    A bare surrogate cannot be handed back to Tcl (tkinter fails on it)."""
    if not _LONE_SURROGATE.search(text):
        return text
    return _LONE_SURROGATE.sub(
        lambda m: m.group().encode("utf-8", "surrogatepass").decode("utf-8", "surrogateescape"), text)


def _is_surrogate_triple(data: bytes, at: int) -> bool:
    return (len(data) >= at + 3 and data[at] == 0xED and 0xA0 <= data[at + 1] <= 0xBF
            and 0x80 <= data[at + 2] <= 0xBF)


codecs.register_error("tclsmtp-tcl-bytes", _byte_fallback)


def is_supported(tcl_encoding: str) -> bool:
    """Whether ``convertto``/``convertfrom`` know this Tcl encoding."""
    return (tcl_encoding in PYTHON_CODECS or tcl_encoding in _HANDMADE_TABLES
            or tcl_encoding in _RAW_DOUBLE_BYTE or tcl_encoding in _ESCAPE_ENCODINGS)


def as_bytes(data: str | bytes) -> bytes:
    """A Tcl byte string: each character's low 8 bits, as Tcl's byte arrays keep."""
    if isinstance(data, bytes):
        return data
    try:
        return data.encode("latin-1")
    except UnicodeEncodeError:
        return bytes(ord(c) & 0xFF for c in data)


def convertto(tcl_encoding: str, text: str) -> bytes:
    """``encoding convertto ENC text``."""
    if tcl_encoding in _SINGLE_BYTE or tcl_encoding in _HANDMADE_TABLES:
        return _table(tcl_encoding).encode(text)
    if tcl_encoding == "utf-8":
        return text.encode("utf-8", "surrogatepass")
    if tcl_encoding in _RAW_DOUBLE_BYTE:
        return _encode_raw_double_byte(tcl_encoding, text)
    if tcl_encoding in _MULTI_BYTE:
        return _encode_multibyte(tcl_encoding, text)
    if tcl_encoding in _ESCAPE_ENCODINGS:
        return _encode_escape(tcl_encoding, text)
    if tcl_encoding in PYTHON_CODECS:
        return text.encode(PYTHON_CODECS[tcl_encoding], "replace")
    raise LookupError(f"unknown encoding \"{tcl_encoding}\"")


def convertfrom(tcl_encoding: str, data: str | bytes) -> str:
    """``encoding convertfrom ENC data``."""
    raw = as_bytes(data)
    if tcl_encoding in _SINGLE_BYTE or tcl_encoding in _HANDMADE_TABLES:
        return _table(tcl_encoding).decode(raw)
    if tcl_encoding == "utf-8":
        # Tcl reads the modified-UTF-8 NUL (C0 80) as U+0000.
        return raw.replace(b"\xc0\x80", b"\x00").decode("utf-8", "tclsmtp-tcl-bytes")
    if tcl_encoding in _RAW_DOUBLE_BYTE:
        return _decode_raw_double_byte(tcl_encoding, raw)
    if tcl_encoding in _LEAD_BYTES:
        return _decode_multibyte(tcl_encoding, raw)
    if tcl_encoding in _ESCAPE_ENCODINGS:
        return _decode_escape(tcl_encoding, raw)
    if tcl_encoding in PYTHON_CODECS:
        return raw.decode(PYTHON_CODECS[tcl_encoding], "tclsmtp-tcl-bytes")
    raise LookupError(f"unknown encoding \"{tcl_encoding}\"")
