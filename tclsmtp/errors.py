"""Errors that a Tcl script can see.

The engines raise these; the bridge turns them into Tcl errors (or other
Tcl return codes) carrying exactly this message and error code.
"""
from __future__ import annotations

# (typing is not imported at run time: a twentieth of a short script's start-up)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Optional


class ScriptError(Exception):
    """An error a Tcl script sees, with tcllib's message text.

    ``code`` is the Tcl return code: 1 (error) for ordinary errors, 7 for
    tcllib smtp's server refusals, which escape as a serialized dict.
    ``errorcode`` is the value of Tcl's ``-errorcode`` (a list of words).

    ``hint``: one line saying what tcllib's message does not (which host and
    port failed, under which --route, ...). The script never sees it: the
    bridge files it in the session under the message
    (``Session.note_hint``), and ``tclsmtp run`` prints it after tclsh's
    report of an error the script did not catch (not with TCLSMTP_QUIET=1).
    Any engine can set it on the errors it raises.
    """

    hint: Optional[str] = None

    def __init__(self, message: str, errorcode: tuple[str, ...] | list[str] = ("NONE",),
                 code: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.errorcode = tuple(errorcode)
        self.code = code

    def __str__(self) -> str:
        return self.message
