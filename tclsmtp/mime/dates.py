"""``mime::parsedatetime``: tcllib's properties over Tcl 8.6's free-form
``clock scan``.

tcllib hands the date to ``clock scan`` without a format, i.e. to Tcl's old
yacc date grammar (tclGetDate.y) and clock.tcl's FreeScan. Scripts see its
quirks (a bare ``2026`` after a date is a time of day, 20:26; ``last`` is
the number -1; a non-ASCII byte ends the input; errors name byte columns),
so this module reproduces that parser: the same lexer, the same grammar
with bison's shift-preferring choices, the same checks and messages, then
FreeScan's assembly of date, time, zone and relative parts.

Time zones: the local zone is the process's (``time.localtime``/``mktime``,
as Tcl's ``:localtime``); a zone named in the string is a fixed offset.
Dates are proleptic Gregorian (Tcl switches to the Julian calendar before
1752-09-14; see docs/compat.md).
"""
from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod

from ..errors import ScriptError

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, Callable, Optional, Union

# --------------------------------------------------------------- calendar


# Tcl counts dates before a Gregorian changeover in the Julian calendar:
# FreeScan itself uses 1752-09-14 (Julian day 2361222, Britain's), while
# [clock add] and [clock format] take it from the locale, "c" by default,
# whose changeover is 1582-10-15 (Julian day 2299161).
SCAN_CHANGEOVER = 2361222
C_LOCALE_CHANGEOVER = 2299161
_EPOCH_JD = 2440588


def _gregorian_jd(y: int, m: int, d: int) -> int:
    a = (14 - m) // 12
    y2, m2 = y + 4800 - a, m + 12 * a - 3
    return d + (153 * m2 + 2) // 5 + 365 * y2 + y2 // 4 - y2 // 100 + y2 // 400 - 32045


def _julian_jd(y: int, m: int, d: int) -> int:
    a = (14 - m) // 12
    y2, m2 = y + 4800 - a, m + 12 * a - 3
    return d + (153 * m2 + 2) // 5 + 365 * y2 + y2 // 4 - 32083


def _days_from_civil(y: int, m: int, d: int, changeover: int = SCAN_CHANGEOVER) -> int:
    """Days since 1970-01-01 of a date (Julian calendar before the changeover)."""
    jd = _gregorian_jd(y, m, 1) + d - 1
    if jd < changeover:
        jd = _julian_jd(y, m, 1) + d - 1
    return jd - _EPOCH_JD


def _civil_from_days(z: int, changeover: int = SCAN_CHANGEOVER) -> tuple[int, int, int]:
    jd = z + _EPOCH_JD
    if jd < changeover:
        c = jd + 32082
        b = 0
    else:
        a = jd + 32044
        b = (4 * a + 3) // 146097
        c = a - 146097 * b // 4
    d = (4 * c + 3) // 1461
    e = c - 1461 * d // 4
    m = (5 * e + 2) // 153
    day = e - (153 * m + 2) // 5 + 1
    month = m + 3 - 12 * (m // 10)
    year = 100 * b + d - 4800 + m // 10
    return year, month, day


def _is_gregorian(days: int, changeover: int = SCAN_CHANGEOVER) -> bool:
    return days + _EPOCH_JD >= changeover


def _is_leap(y: int) -> bool:
    return y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)


_DAYS_IN_MONTH = (31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)


def _local_seconds(y: int, m: int, d: int, second_of_day: int,
                   changeover: int = SCAN_CHANGEOVER) -> int:
    """Tcl's localSeconds for a (possibly out-of-range) year/month/day.

    Like GetJulianDayFromEraYearMonthDay, months beyond 12 roll into later
    years and days beyond the month's end roll into later months.
    """
    y += (m - 1) // 12
    m = (m - 1) % 12 + 1
    return _days_from_civil(y, m, d, changeover) * 86400 + second_of_day


# --------------------------------------------------------------- time zones


class _Zone(ABC):
    """A time zone: offsets in seconds east of UTC."""

    @abstractmethod
    def utc_to_local(self, seconds: int) -> int: ...

    @abstractmethod
    def local_to_utc(self, local: int) -> int: ...


# Plain classes, not dataclasses: importing dataclasses costs a tenth of a
# short script's start-up.
class _FixedZone(_Zone):
    offset: int

    def __init__(self, offset: int) -> None:
        self.offset = offset

    def utc_to_local(self, seconds: int) -> int:
        return seconds + self.offset

    def local_to_utc(self, local: int) -> int:
        return local - self.offset


# Tcl builds a zone's transitions from its rule (the zone file's POSIX
# footer) for the years 1916-2099 only (clock.tcl, ProcessPosixTimeZone):
# from 2100 on, the offset of the last transition of 2099 stays (standard
# time in the north, daylight time in the south). The C library applies the
# rule for ever; from this instant on we use the offset it gives at the end
# of 2099, where both agree.
_END_OF_TCL_RULES = 4102444800            # 2100-01-01 00:00:00 UTC


class _LocalZone(_Zone):
    """The process's zone, as Tcl's ``:localtime`` uses the C library."""

    def utc_to_local(self, seconds: int) -> int:
        if seconds >= _END_OF_TCL_RULES:
            return seconds + self._offset_after_rules()
        try:
            return seconds + time.localtime(seconds).tm_gmtoff
        except (OverflowError, OSError, ValueError):
            return seconds + time.localtime(0).tm_gmtoff

    @staticmethod
    def _offset_after_rules() -> int:
        return time.localtime(_END_OF_TCL_RULES - 86400).tm_gmtoff

    def local_to_utc(self, local: int) -> int:
        if local >= _END_OF_TCL_RULES:
            return local - self._offset_after_rules()
        days, second_of_day = divmod(local, 86400)
        y, m, d = _civil_from_days(days, changeover=0)  # mktime's calendar: Gregorian
        hh, rest = divmod(second_of_day, 3600)
        mm, ss = divmod(rest, 60)
        try:
            return int(time.mktime((y, m, d, hh, mm, ss, 0, 0, -1)))
        except (OverflowError, OSError, ValueError):
            pass
        # Beyond mktime's range: the zone's offset there.
        guess = local - self.utc_to_local(local) + local
        return local - (self.utc_to_local(guess) - guess)


GMT = _FixedZone(0)
LOCAL = _LocalZone()


class _Fields:
    __slots__ = ("year", "month", "day", "second_of_day", "days")
    year: int
    month: int
    day: int
    second_of_day: int
    days: int  # days since the epoch, local

    def __init__(self, year: int, month: int, day: int, second_of_day: int, days: int) -> None:
        self.year = year
        self.month = month
        self.day = day
        self.second_of_day = second_of_day
        self.days = days


def _fields(seconds: int, zone: _Zone, changeover: int = SCAN_CHANGEOVER) -> _Fields:
    local = zone.utc_to_local(seconds)
    days, second_of_day = divmod(local, 86400)
    y, m, d = _civil_from_days(days, changeover)
    return _Fields(y, m, d, second_of_day, days)


def _add_months(months: int, seconds: int, zone: _Zone) -> int:
    f = _fields(seconds, zone, C_LOCALE_CHANGEOVER)
    m = f.month + months - 1
    year = f.year + m // 12
    mm = m % 12
    # Tcl asks whether the year is a leap year in the calendar of the start date.
    leap = year % 4 == 0 if not _is_gregorian(f.days, C_LOCALE_CHANGEOVER) else _is_leap(year)
    hath = _DAYS_IN_MONTH[mm] + (1 if mm == 1 and leap else 0)
    day = min(f.day, hath)
    return zone.local_to_utc(_local_seconds(year, mm + 1, day, f.second_of_day, C_LOCALE_CHANGEOVER))


def _add_days(days: int, seconds: int, zone: _Zone) -> int:
    f = _fields(seconds, zone)
    return zone.local_to_utc((f.days + days) * 86400 + f.second_of_day)


# --------------------------------------------------------------- lexer

# Token kinds of the grammar.
U, ISO, MONTH, DAY, ZONE, DAYZONE, DST, MER, SEC, DAYU, MONU = (
    "U", "ISO", "MONTH", "DAY", "ZONE", "DAYZONE", "DST", "MER", "SEC", "DAYU", "MONU")
AGO, EPOCH, STAR, NEXT, ID, EOF = "AGO", "EPOCH", "STAR", "NEXT", "ID", "EOF"


def _hour(x: float) -> int:
    return int(60 * x)


_MONTH_DAY = [("january", MONTH, 1), ("february", MONTH, 2), ("march", MONTH, 3),
              ("april", MONTH, 4), ("may", MONTH, 5), ("june", MONTH, 6), ("july", MONTH, 7),
              ("august", MONTH, 8), ("september", MONTH, 9), ("sept", MONTH, 9),
              ("october", MONTH, 10), ("november", MONTH, 11), ("december", MONTH, 12),
              ("sunday", DAY, 0), ("monday", DAY, 1), ("tuesday", DAY, 2), ("tues", DAY, 2),
              ("wednesday", DAY, 3), ("wednes", DAY, 3), ("thursday", DAY, 4), ("thur", DAY, 4),
              ("thurs", DAY, 4), ("friday", DAY, 5), ("saturday", DAY, 6)]
_UNITS = {"year": (MONU, 12), "month": (MONU, 1), "fortnight": (DAYU, 14), "week": (DAYU, 7),
          "day": (DAYU, 1), "hour": (SEC, 3600), "minute": (SEC, 60), "min": (SEC, 60),
          "second": (SEC, 1), "sec": (SEC, 1)}
_OTHER = {"tomorrow": (DAYU, 1), "yesterday": (DAYU, -1), "today": (DAYU, 0), "now": (SEC, 0),
          "last": (U, -1), "this": (SEC, 0), "next": (NEXT, 1), "ago": (AGO, 1),
          "epoch": (EPOCH, 0), "stardate": (STAR, 0)}
# Minutes west of Greenwich, as in tclGetDate.y (7/2 etc. are C integer divisions).
_ZONES = {
    "gmt": (ZONE, 0), "ut": (ZONE, 0), "utc": (ZONE, 0), "uct": (ZONE, 0), "wet": (ZONE, 0),
    "bst": (DAYZONE, 0), "wat": (ZONE, _hour(1)), "at": (ZONE, _hour(2)),
    "nft": (ZONE, _hour(3)), "nst": (ZONE, _hour(3)), "ndt": (DAYZONE, _hour(3)),
    "ast": (ZONE, _hour(4)), "adt": (DAYZONE, _hour(4)), "est": (ZONE, _hour(5)),
    "edt": (DAYZONE, _hour(5)), "cst": (ZONE, _hour(6)), "cdt": (DAYZONE, _hour(6)),
    "mst": (ZONE, _hour(7)), "mdt": (DAYZONE, _hour(7)), "pst": (ZONE, _hour(8)),
    "pdt": (DAYZONE, _hour(8)), "yst": (ZONE, _hour(9)), "ydt": (DAYZONE, _hour(9)),
    "hst": (ZONE, _hour(10)), "hdt": (DAYZONE, _hour(10)), "cat": (ZONE, _hour(10)),
    "ahst": (ZONE, _hour(10)), "nt": (ZONE, _hour(11)), "idlw": (ZONE, _hour(12)),
    "cet": (ZONE, -_hour(1)), "cest": (DAYZONE, -_hour(1)), "met": (ZONE, -_hour(1)),
    "mewt": (ZONE, -_hour(1)), "mest": (DAYZONE, -_hour(1)), "swt": (ZONE, -_hour(1)),
    "sst": (DAYZONE, -_hour(1)), "fwt": (ZONE, -_hour(1)), "fst": (DAYZONE, -_hour(1)),
    "eet": (ZONE, -_hour(2)), "bt": (ZONE, -_hour(3)), "it": (ZONE, -_hour(3)),
    "zp4": (ZONE, -_hour(4)), "zp5": (ZONE, -_hour(5)), "ist": (ZONE, -_hour(5)),
    "zp6": (ZONE, -_hour(6)), "wast": (ZONE, -_hour(7)), "wadt": (DAYZONE, -_hour(7)),
    "jt": (ZONE, -_hour(7)), "cct": (ZONE, -_hour(8)), "jst": (ZONE, -_hour(9)),
    "jdt": (DAYZONE, -_hour(9)), "kst": (ZONE, -_hour(9)), "kdt": (DAYZONE, -_hour(9)),
    "cast": (ZONE, -_hour(9)), "cadt": (DAYZONE, -_hour(9)), "east": (ZONE, -_hour(10)),
    "eadt": (DAYZONE, -_hour(10)), "gst": (ZONE, -_hour(10)), "nzt": (ZONE, -_hour(12)),
    "nzst": (ZONE, -_hour(12)), "nzdt": (DAYZONE, -_hour(12)), "idle": (ZONE, -_hour(12)),
    "dst": (DST, 0),
}
_MILITARY = {**{c: (ZONE, -_hour(i + 1)) for i, c in enumerate("abcdefghiklm")},
             **{c: (ZONE, _hour(i + 1)) for i, c in enumerate("nopqrstuvwxy")}, "z": (ZONE, 0)}
_MERIDIANS = {"am": "am", "a.m.": "am", "pm": "pm", "p.m.": "pm"}


def _lookup_word(word: str) -> tuple[str, object]:
    """tclGetDate.y's LookupWord (the word is ASCII letters and dots)."""
    buff = word.lower()
    if buff in _MERIDIANS:
        return MER, _MERIDIANS[buff]
    abbrev = len(buff) == 3 or (len(buff) == 4 and buff[3] == ".")
    if abbrev:
        buff = buff[:3]
        for name, kind, value in _MONTH_DAY:
            if name[:3] == buff:
                return kind, value
    else:
        for name, kind, value in _MONTH_DAY:
            if name == buff:
                return kind, value
    if buff in _ZONES:
        return _ZONES[buff]
    if buff in _UNITS:
        return _UNITS[buff]
    if len(buff) > 1 and buff.endswith("s"):
        buff = buff[:-1]  # Tcl keeps the shortened word for the lookups below
        if buff in _UNITS:
            return _UNITS[buff]
    if buff in _OTHER:
        return _OTHER[buff]
    if len(buff) == 1 and buff in _MILITARY:
        return _MILITARY[buff]
    without_dots = buff.replace(".", "")
    if without_dots != buff and without_dots in _ZONES:
        return _ZONES[without_dots]
    return ID, 0


def _wrap64(n: int) -> int:
    n &= (1 << 64) - 1
    return n - (1 << 64) if n >= 1 << 63 else n


class _Token:
    __slots__ = ("kind", "value", "first", "last")
    kind: str
    value: object
    first: int
    last: int

    def __init__(self, kind: str, value: object = 0, first: int = 0, last: int = 0) -> None:
        self.kind = kind
        self.value = value
        self.first = first
        self.last = last


# The next token, after blanks: a number, a word or any other byte. One
# search per token skips the blanks too; it fails only on blanks to the end.
_TOKEN = re.compile(rb"[0-9]+|[A-Za-z][A-Za-z.]*|[^ \t\n\x0b\x0c\r]")


class _Lexer:
    """TclDatelex over the string's UTF-8 bytes (Tcl parses its own UTF-8)."""

    def __init__(self, text: str) -> None:
        self.data = text.encode("utf-8", "surrogatepass").replace(b"\x00", b"\xc0\x80")
        self.pos = 0
        self.digit_count = 0

    def next(self) -> _Token:
        data = self.data
        first = self.pos
        while True:
            m = _TOKEN.search(data, self.pos)
            if m is None:
                self.pos = len(data)
                return _Token(EOF, 0, first, len(data))
            start, self.pos = m.span()
            c = data[start]
            if 0x30 <= c <= 0x39:
                self.digit_count = self.pos - start
                # C accumulates in 64 bits and wraps around.
                number = _wrap64(int(m.group()))
                kind = ISO if self.digit_count >= 6 else U
                return _Token(kind, number, first, self.pos - 1)
            if 0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A:
                kind, value = _lookup_word(m.group()[:19].decode("ascii"))
                return _Token(kind, value, first, self.pos - 1)
            if c != 0x28:  # not "(": the character itself is the token
                # Tcl's lexer returns a (signed) char: bytes >= 0x80 read
                # as negative, which the parser takes for the end of input.
                return _Token(EOF if c >= 0x80 else chr(c), 0, first, self.pos - 1)
            depth = 1  # the "(" just read
            while True:  # skip a (nested) comment
                if self.pos >= len(data):
                    return _Token(EOF, 0, first, len(data))
                ch = data[self.pos]
                self.pos += 1
                if ch == 0x28:
                    depth += 1
                elif ch == 0x29:
                    depth -= 1
                if depth <= 0:
                    break


# --------------------------------------------------------------- parser


class _Abort(Exception):
    """YYABORT: the parse fails with no message."""


def _no_digits() -> int:
    return 0


class _Parse:
    """The parser's results (DateInfo)."""
    __slots__ = ("year", "month", "day", "have_date", "hour", "minutes", "seconds", "meridian",
                 "have_time", "timezone", "dst", "have_zone", "rel_month", "rel_day",
                 "rel_seconds", "have_rel", "month_ordinal", "have_ordinal_month",
                 "day_ordinal", "day_number", "have_day", "digit_count")
    year: int
    month: int
    day: int
    have_date: int
    hour: int
    minutes: int
    seconds: int
    meridian: str
    have_time: int
    timezone: int
    dst: int  # DSTon 0, DSToff 1, DSTmaybe 2
    have_zone: int
    rel_month: int
    rel_day: int
    rel_seconds: int
    have_rel: int
    month_ordinal: int
    have_ordinal_month: int
    day_ordinal: int
    day_number: int
    have_day: int
    digit_count: Callable[[], int]

    def __init__(self, year: int, month: int, day: int, have_date: int = 0, hour: int = 0,
                 minutes: int = 0, seconds: int = 0, meridian: str = "24", have_time: int = 0,
                 timezone: int = 0, dst: int = 2, have_zone: int = 0, rel_month: int = 0,
                 rel_day: int = 0, rel_seconds: int = 0, have_rel: int = 0,
                 month_ordinal: int = 0, have_ordinal_month: int = 0, day_ordinal: int = 0,
                 day_number: int = 0, have_day: int = 0,
                 digit_count: Callable[[], int] = _no_digits) -> None:
        self.year = year
        self.month = month
        self.day = day
        self.have_date = have_date
        self.hour = hour
        self.minutes = minutes
        self.seconds = seconds
        self.meridian = meridian
        self.have_time = have_time
        self.timezone = timezone
        self.dst = dst
        self.have_zone = have_zone
        self.rel_month = rel_month
        self.rel_day = rel_day
        self.rel_seconds = rel_seconds
        self.have_rel = have_rel
        self.month_ordinal = month_ordinal
        self.have_ordinal_month = have_ordinal_month
        self.day_ordinal = day_ordinal
        self.day_number = day_number
        self.have_day = have_day
        self.digit_count = digit_count


if TYPE_CHECKING:
    Action = Callable[[_Parse, list], None]

SIGN = ("-", "+")


def _set(p: _Parse, **fields: Any) -> None:
    """Set the named fields of the results."""
    for name, value in fields.items():
        setattr(p, name, value)


def _set_time(p: _Parse, h: int, m: int, s: int, mer: str) -> None:
    p.hour, p.minutes, p.seconds, p.meridian = h, m, s, mer


def _iso_date(p: _Parse, v: int) -> None:
    p.year, p.month, p.day = _cdiv(v, 10000), _cdiv(_cmod(v, 10000), 100), _cmod(v, 100)


def _iso_time(p: _Parse, v: int) -> None:
    p.hour, p.minutes, p.seconds = _cdiv(v, 10000), _cdiv(_cmod(v, 10000), 100), _cmod(v, 100)


def _cdiv(a: int, b: int) -> int:
    """C integer division (truncates toward zero)."""
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


def _cmod(a: int, b: int) -> int:
    return a - _cdiv(a, b) * b


def _iso_zone_check(p: _Parse, zone: int) -> None:
    if zone != _hour(7):
        raise _Abort()


def _rel(p: _Parse, unit: tuple[str, int], amount: int) -> None:
    kind, _ = unit
    if kind == SEC:
        p.rel_seconds += amount
    elif kind == DAYU:
        p.rel_day += amount
    else:
        p.rel_month += amount


def _ago(p: _Parse) -> None:
    p.rel_seconds *= -1
    p.rel_month *= -1
    p.rel_day *= -1


def _rel_ago(p: _Parse, unit: tuple[str, int], amount: int) -> None:
    """A relative item with "ago", which negates all the relative time so far."""
    _rel(p, unit, amount)
    _ago(p)


def _iso_t_iso(p: _Parse, v: list) -> None:
    """ISO "T" ISO: 20261128T101010."""
    _iso_zone_check(p, v[1])
    _iso_date(p, v[0])
    _iso_time(p, v[2])


def _iso_t_hms(p: _Parse, v: list) -> None:
    """ISO "T" hh:mm:ss: 20261128T10:10:10."""
    _iso_zone_check(p, v[1])
    _iso_date(p, v[0])
    _set(p, hour=v[2], minutes=v[4], seconds=v[6])


def _iso_iso(p: _Parse, v: list) -> None:
    """ISO ISO: 20261128 101010."""
    _iso_date(p, v[0])
    _iso_time(p, v[1])


def _ymd_t_hms(p: _Parse, v: list) -> None:
    """yyyy-mm-dd "T" hh:mm:ss."""
    _iso_zone_check(p, v[5])
    _set(p, year=v[0], month=v[2], day=v[4], hour=v[6], minutes=v[8], seconds=v[10])


def _number(p: _Parse, v: list) -> None:
    if p.have_time and p.have_date and not p.have_rel:
        p.year = v[0]
    else:
        p.have_time += 1
        if p.digit_count() <= 2:
            p.hour, p.minutes = v[0], 0
        else:
            p.hour, p.minutes = _cdiv(v[0], 100), _cmod(v[0], 100)
        p.seconds = 0
        p.meridian = "24"


def _trek(p: _Parse, v: list) -> None:
    p.year = _cdiv(v[1], 1000) + 2323 - 377
    p.day = 1
    p.month = 1
    p.rel_day += _cdiv(_cmod(v[1], 1000) * (365 + _is_leap(p.year)), 1000)
    p.rel_seconds += v[3] * 144 * 60


UNITS = (SEC, DAYU, MONU)

# (item counter, token pattern, action). A pattern element is a kind or a
# tuple of kinds; "unit" stands for SEC/DAYU/MONU. Values are passed in order.
_RULES: list[tuple[str, tuple, Action]] = [
    ("time", (U, MER), lambda p, v: _set_time(p, v[0], 0, 0, v[1])),
    ("time", (U, ":", U), lambda p, v: _set_time(p, v[0], v[2], 0, "24")),
    ("time", (U, ":", U, MER), lambda p, v: _set_time(p, v[0], v[2], 0, v[3])),
    ("time", (U, ":", U, ":", U), lambda p, v: _set_time(p, v[0], v[2], v[4], "24")),
    ("time", (U, ":", U, ":", U, MER), lambda p, v: _set_time(p, v[0], v[2], v[4], v[5])),
    ("zone", (ZONE, DST), lambda p, v: _set(p, timezone=v[0], dst=0)),
    ("zone", (ZONE,), lambda p, v: _set(p, timezone=v[0], dst=1)),
    ("zone", (DAYZONE,), lambda p, v: _set(p, timezone=v[0], dst=0)),
    # Tcl 8.6.13 also reads a signed number as a zone: +0200, -5 (minutes), +123.
    ("zone", (SIGN, U), lambda p, v: _set(p, timezone=(1 if v[0] == "-" else -1) * (
        _cmod(v[1], 100) + _cdiv(v[1], 100) * 60), dst=1)),
    ("day", (DAY,), lambda p, v: _set(p, day_ordinal=1, day_number=v[0])),
    ("day", (DAY, ","), lambda p, v: _set(p, day_ordinal=1, day_number=v[0])),
    ("day", (U, DAY), lambda p, v: _set(p, day_ordinal=v[0], day_number=v[1])),
    ("day", (SIGN, U, DAY), lambda p, v: _set(p, day_ordinal=(-1 if v[0] == "-" else 1) * v[1],
                                              day_number=v[2])),
    ("day", (NEXT, DAY), lambda p, v: _set(p, day_ordinal=2, day_number=v[1])),
    ("date", (U, "/", U), lambda p, v: _set(p, month=v[0], day=v[2])),
    ("date", (U, "/", U, "/", U), lambda p, v: _set(p, month=v[0], day=v[2], year=v[4])),
    ("date", (ISO,), lambda p, v: _iso_date(p, v[0])),
    ("date", (U, "-", MONTH, "-", U), lambda p, v: _set(p, day=v[0], month=v[2], year=v[4])),
    ("date", (U, "-", U, "-", U), lambda p, v: _set(p, month=v[2], day=v[4], year=v[0])),
    ("date", (MONTH, U), lambda p, v: _set(p, month=v[0], day=v[1])),
    ("date", (MONTH, U, ",", U), lambda p, v: _set(p, month=v[0], day=v[1], year=v[3])),
    ("date", (U, MONTH), lambda p, v: _set(p, month=v[1], day=v[0])),
    ("date", (EPOCH,), lambda p, v: _set(p, month=1, day=1, year=1970)),
    ("date", (U, MONTH, U), lambda p, v: _set(p, month=v[1], day=v[0], year=v[2])),
    ("ordMonth", (NEXT, MONTH), lambda p, v: _set(p, month_ordinal=1, month=v[1])),
    ("ordMonth", (NEXT, U, MONTH), lambda p, v: _set(p, month_ordinal=v[1], month=v[2])),
    ("iso", (ISO, ZONE, ISO), _iso_t_iso),
    ("iso", (ISO, ZONE, U, ":", U, ":", U), _iso_t_hms),
    ("iso", (ISO, ISO), _iso_iso),
    # 2026-11-28T10:10:10 (Tcl 8.6.13; the T is read as a zone letter).
    ("iso", (U, "-", U, "-", U, ZONE, U, ":", U, ":", U), _ymd_t_hms),
    ("trek", (STAR, U, ".", U), _trek),
    ("rel", (SIGN, U, UNITS), lambda p, v: _rel(p, v[2], (-1 if v[0] == "-" else 1) * v[1] * v[2][1])),
    ("rel", (SIGN, U, UNITS, AGO), lambda p, v: _rel_ago(p, v[2], (-1 if v[0] == "-" else 1) * v[1]
                                                         * v[2][1])),
    ("rel", (U, UNITS), lambda p, v: _rel(p, v[1], v[0] * v[1][1])),
    ("rel", (U, UNITS, AGO), lambda p, v: _rel_ago(p, v[1], v[0] * v[1][1])),
    ("rel", (NEXT, UNITS), lambda p, v: _rel(p, v[1], v[1][1])),
    ("rel", (NEXT, UNITS, AGO), lambda p, v: _rel_ago(p, v[1], v[1][1])),
    ("rel", (NEXT, U, UNITS), lambda p, v: _rel(p, v[2], v[1] * v[2][1])),
    ("rel", (NEXT, U, UNITS, AGO), lambda p, v: _rel_ago(p, v[2], v[1] * v[2][1])),
    ("rel", (UNITS,), lambda p, v: _rel(p, v[0], v[0][1])),
    ("rel", (UNITS, AGO), lambda p, v: _rel_ago(p, v[0], v[0][1])),
    ("number", (U,), _number),
]


# The rules with each pattern element as a set of kinds (in grammar order:
# bison resolves a reduce/reduce conflict for the earlier rule).
if TYPE_CHECKING:
    _Compiled = tuple[str, tuple[frozenset, ...], Action]
_COMPILED: list[_Compiled] = [
    (counter, tuple(frozenset(e) if isinstance(e, tuple) else frozenset((e,)) for e in pattern), action)
    for counter, pattern, action in _RULES]


# The parser's states: the rules (indexes into _COMPILED) still possible
# after some tokens; transitions are memoized.
_STEPS: dict[tuple[tuple[int, ...], int, str], tuple[int, ...]] = {}


def _step(candidates: tuple[int, ...], position: int, kind: str) -> tuple[int, ...]:
    """The rules still possible after reading ``kind`` at ``position``."""
    key = (candidates, position, kind)
    going_on = _STEPS.get(key)
    if going_on is None:
        pool = range(len(_COMPILED)) if position == 0 else candidates
        going_on = tuple(i for i in pool if len(_COMPILED[i][1]) > position
                         and kind in _COMPILED[i][1][position])
        _STEPS[key] = going_on
    return going_on


def _complete(candidates: tuple[int, ...], position: int) -> list[_Compiled]:
    return [_COMPILED[i] for i in candidates if len(_COMPILED[i][1]) == position]


def _parse(text: str, year: int, month: int, day: int) -> _Parse:
    """Run the grammar; raise ValueError(message) as Oldscan's errors."""
    lexer = _Lexer(text)
    p = _Parse(year, month, day, digit_count=lambda: lexer.digit_count)
    token = lexer.next()
    while token.kind != EOF:
        candidates: tuple[int, ...] = ()
        values: list = []
        position = 0
        while True:
            going_on = _step(candidates, position, token.kind)
            if going_on:
                if token.kind in UNITS:
                    values.append((token.kind, token.value))
                elif token.kind in SIGN:
                    values.append(token.kind)
                else:
                    values.append(token.value)
                candidates = going_on
                position += 1
                token = lexer.next()
                continue
            complete = _complete(candidates, position)
            if not complete or position == 0:
                raise ValueError(f"syntax error (characters {token.first}-{token.last})")
            counter, _, action = complete[0]
            try:
                action(p, values)
            except _Abort:
                raise ValueError("") from None
            _count(p, counter)
            break
    if p.have_date > 1:
        raise ValueError("more than one date in string")
    if p.have_time > 1:
        raise ValueError("more than one time of day in string")
    if p.have_zone > 1:
        raise ValueError("more than one time zone in string")
    if p.have_day > 1:
        raise ValueError("more than one weekday in string")
    if p.have_ordinal_month > 1:
        raise ValueError("more than one ordinal month in string")
    return p


def _count(p: _Parse, counter: str) -> None:
    if counter == "time":
        p.have_time += 1
    elif counter == "zone":
        p.have_zone += 1
    elif counter == "date":
        p.have_date += 1
    elif counter == "ordMonth":
        p.have_ordinal_month += 1
    elif counter == "day":
        p.have_day += 1
    elif counter == "rel":
        p.have_rel += 1
    elif counter == "iso":
        p.have_time += 1
        p.have_date += 1
    elif counter == "trek":
        p.have_time += 1
        p.have_date += 1
        p.have_rel += 1


def _to_seconds(h: int, m: int, s: int, meridian: str) -> int:
    if m < 0 or m > 59 or s < 0 or s > 59:
        return -1
    if meridian == "24":
        return -1 if h < 0 or h > 23 else (h * 60 + m) * 60 + s
    if h < 1 or h > 12:
        return -1
    return ((h % 12 + (12 if meridian == "pm" else 0)) * 60 + m) * 60 + s


def _numeric_zone_offset(seconds: int) -> int:
    """The offset Tcl ends up with: FreeScan writes it as [+-]hhmm[ss] and
    SetupTimeZone reads back two-digit fields, so 100 hours or more get
    mangled (+123:45 is written +12345 and read as +12:34)."""
    sign = -1 if seconds < 0 else 1
    z = abs(seconds)
    text = "%02d%02d" % (z // 3600, z % 3600 // 60) + ("%02d" % (z % 60) if z % 60 else "")
    hh, mm, ss = int(text[0:2]), text[2:4], text[4:6]
    offset = (hh * 60 + (int(mm) if len(mm) == 2 else 0)) * 60 + (int(ss) if len(ss) == 2 else 0)
    return sign * offset


def clock_scan(text: str, zone: Optional[_Zone] = None, now: Optional[int] = None) -> int:
    """Tcl 8.6's ``clock scan text`` (free form) in ``zone``."""
    zone = LOCAL if zone is None else zone
    base = int(time.time()) if now is None else now
    today = _fields(base, zone)
    try:
        p = _parse(text, today.year, today.month, today.day)
    except ValueError as e:
        # Tcl 8.6's free-form scanner (FreeScan) raises this with a plain
        # `return -code error`, so its errorCode is NONE (tclsh shows it).
        raise ScriptError(f'unable to convert date-time string "{text}": {e}') from None
    year, month, day = today.year, today.month, today.day
    second_of_day: Optional[int] = today.second_of_day
    parse_time = _to_seconds(p.hour, p.minutes, p.seconds, p.meridian) if p.have_time else None
    if p.have_date:
        year, month, day = p.year, p.month, p.day
        if year < 100:
            year += 1900 if year >= 39 else 2000
        if parse_time is None:
            parse_time = 0
    if p.have_zone:
        minutes_east, dst_flag = -p.timezone, 1 - p.dst
        zone = _FixedZone(_numeric_zone_offset(60 * minutes_east + 3600 * dst_flag))
    weekday = p.have_day and not p.have_date
    if parse_time is not None:
        second_of_day = parse_time
    elif weekday or p.have_ordinal_month or (p.have_rel and (p.rel_month or p.rel_day)):
        second_of_day = 0
    assert second_of_day is not None
    seconds = zone.local_to_utc(_local_seconds(year, month, day, second_of_day))
    if p.have_rel:
        seconds = _add_months(p.rel_month, seconds, zone)
        seconds = _add_days(p.rel_day, seconds, zone)
        seconds += p.rel_seconds
    if weekday:
        f = _fields(seconds, zone)
        j = f.days + 6
        k = (p.day_number + 6) % 7  # Tcl's Julian-day weekday numbering
        jd = j + 2440588  # the epoch's Julian day
        jdwkday = jd - (jd - k) % 7
        jdwkday += 7 * p.day_ordinal
        if p.day_ordinal > 0:
            jdwkday -= 7
        seconds = zone.local_to_utc((jdwkday - 2440588) * 86400 + second_of_day)
    if p.have_ordinal_month:
        ordinal, number = p.month_ordinal, p.month
        if ordinal > 0:
            diff = number - month
            if diff <= 0:
                diff += 12
            ordinal -= 1
        else:
            diff = month - number
            if diff >= 0:
                diff -= 12
            ordinal += 1
        seconds = _add_months(12 * ordinal, seconds, zone)
        seconds = _add_months(diff, seconds, zone)
    return seconds


# --------------------------------------------------------------- tcllib

_WDAYS_SHORT = ("Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat")
_WDAYS_LONG = ("Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday")
_MONTHS_SHORT = ("", "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
                 "Nov", "Dec")
# tcllib's table has this typo, and scripts get it.
_MONTHS_LONG = ("", "January", "February", "March", "April", "May", "June", "July", "August",
                "Sepember", "October", "November", "December")

_TZ_SUFFIX_DIGITS = "0123456789"


def _split_numeric_zone(value: str) -> Optional[tuple[str, str, str, str]]:
    """tcllib's regexp ``^(.*) ([+-])([0-9][0-9])([0-9][0-9])$``."""
    if len(value) < 6:
        return None
    head, sign, hh, mm = value[:-6], value[-5], value[-4:-2], value[-2:]
    if value[-6] != " " or sign not in "+-" or not all(c in _TZ_SUFFIX_DIGITS for c in hh + mm):
        return None
    return head, sign, hh, mm


class _Local:
    __slots__ = ("year", "month", "day", "hour", "minute", "second", "weekday", "yday")
    year: int
    month: int
    day: int
    hour: int
    minute: int
    second: int
    weekday: int  # 0 = Sunday
    yday: int

    def __init__(self, year: int, month: int, day: int, hour: int, minute: int, second: int,
                 weekday: int, yday: int) -> None:
        self.year = year
        self.month = month
        self.day = day
        self.hour = hour
        self.minute = minute
        self.second = second
        self.weekday = weekday
        self.yday = yday


def _local(seconds: int, zone: _Zone) -> _Local:
    """The fields [clock format] shows (locale "c")."""
    f = _fields(seconds, zone, C_LOCALE_CHANGEOVER)
    hh, rest = divmod(f.second_of_day, 3600)
    mm, ss = divmod(rest, 60)
    weekday = (f.days + 4) % 7  # 1970-01-01 was a Thursday
    # Tcl counts the day of the year in the date's own calendar (so from the
    # Gregorian 1 January in the changeover year).
    gregorian = _is_gregorian(f.days, C_LOCALE_CHANGEOVER)
    yday = f.days - _days_from_civil(f.year, 1, 1, 0 if gregorian else 1 << 62) + 1
    return _Local(f.year, f.month, f.day, hh, mm, ss, weekday, yday)


def _scan_2d2d(value: str) -> Optional[tuple[int, int]]:
    """Tcl's ``scan $value %2d%2d``: two fields of up to 2 characters."""
    numbers = []
    i = 0
    for _ in range(2):
        while i < len(value) and value[i] in " \t\n\r\v\f":
            i += 1
        j = i
        if j < len(value) and value[j] in "+-":
            j += 1
        while j < len(value) and j - i < 2 and value[j].isdigit() and value[j] < "\x80":
            j += 1
        digits = value[i:j].lstrip("+-")
        if not digits:
            return None
        numbers.append(int(value[i:j]))
        i = j
    return numbers[0], numbers[1]


_TCL_TRIM = ("\x00\t\n\x0b\x0c\r \x85\xa0\u1680\u180e\u2000\u2001\u2002\u2003\u2004\u2005"
             "\u2006\u2007\u2008\u2009\u200a\u200b\u2028\u2029\u202f\u205f\u2060\u3000\ufeff")

_ZONE_NAMES = ("UT", "GMT", "EST", "EDT", "CST", "CDT", "MST", "MDT", "PST", "PDT")
_ZONE_HOURS = (0, 0, -5, -4, -6, -5, -7, -6, -8, -7)


def _zone_property(value: str) -> str:
    value = value.replace("\t", " ").strip(_TCL_TRIM)
    space = value.rfind(" ")
    if space < 0:
        return "0"
    value = value[space + 1:]
    sign = value[:1]
    if sign in ("+", "-"):
        if sign == "+":
            sign = ""
        value = value[1:].strip(_TCL_TRIM)
        parsed = _scan_2d2d(value) if len(value) == 4 else None
        if parsed is None or parsed[0] > 12 or parsed[1] > 59 or (parsed[0] == 12 and parsed[1] > 0):
            raise ScriptError(f"malformed timezone-specification: {value}")
        return f"{sign}{parsed[0] * 60 + parsed[1]}"
    upper = "".join(u if len(u := c.upper()) == 1 else c for c in value)
    if upper not in _ZONE_NAMES:
        raise ScriptError(f"unrecognized timezone-mnemonic: {upper}")
    return str(_ZONE_HOURS[_ZONE_NAMES.index(upper)] * 60)


def parse_datetime(value: str, prop: str, now: Optional[int] = None) -> Union[int, str]:
    """``mime::parsedatetime value property``."""
    current = int(time.time()) if now is None else now
    if value == "-now":
        clock = current
    else:
        numeric = _split_numeric_zone(value)
        if numeric is not None:
            value, sign, hh, mm = numeric
            clock = clock_scan(value, GMT, now=current)
            zone = 60 * (int(mm) + 60 * int(hh))
            clock += -zone if sign == "+" else zone
        else:
            clock = clock_scan(value, LOCAL, now=current)

    if prop == "clock":
        return clock
    if prop == "proper" and value == "-now":
        second, text = _NOW_PROPER[0]  # every send asks for it, many times a second
        if second == current:
            return text
    local = _local(clock, LOCAL)
    if prop == "hour":
        text = f"{local.hour:02d}"
    elif prop == "lmonth":
        return _MONTHS_LONG[local.month]
    elif prop == "lweekday":
        return _WDAYS_LONG[local.weekday]
    elif prop == "mday":
        text = f"{local.day:02d}"
    elif prop == "min":
        text = f"{local.minute:02d}"
    elif prop == "mon":
        text = f"{local.month:02d}"
    elif prop == "month":
        return _MONTHS_SHORT[local.month]
    elif prop == "proper":
        text = _proper(clock, local, current)
        if value == "-now":
            _NOW_PROPER[0] = (current, text)
        return text
    elif prop == "rclock":
        return 0 if value == "-now" else current - clock
    elif prop == "sec":
        text = f"{local.second:02d}"
    elif prop == "wday":
        return str(local.weekday)
    elif prop == "weekday":
        return _WDAYS_SHORT[local.weekday]
    elif prop == "yday":
        text = f"{local.yday:03d}"
    elif prop == "year":
        text = _format_year(local.year)
    elif prop == "zone":
        text = _zone_property(value)
    else:
        raise ScriptError(f"unknown property {prop}")
    return text.lstrip("0") or "0"


_NOW_PROPER: list = [(None, "")]       # (second, parsedatetime -now proper)


def _format_year(year: int) -> str:
    return f"{year:04d}" if year >= 0 else f"-{-year:04d}"


def _proper(clock: int, local: _Local, now: int) -> str:
    g = _local(clock, GMT)
    gmt = (f"{_format_year(g.year)}-{g.month:02d}-{g.day:02d} "
           f"{g.hour:02d}:{g.minute:02d}:{g.second:02d}")
    diff = (clock - clock_scan(gmt, LOCAL, now=now)) // 60
    sign = "+"
    if diff < 0:
        sign, diff = "-", -diff
    zone = f"{sign}{diff // 60:02d}{diff % 60:02d}"
    return (f"{_WDAYS_SHORT[local.weekday]}, {local.day:02d} {_MONTHS_SHORT[local.month]} "
            f"{_format_year(local.year)} {local.hour:02d}:{local.minute:02d}:{local.second:02d} {zone}")
