"""The mime engine (see docs/architecture.md).

- :class:`MimePart`: the EmailMessage behind every mime token.
- :func:`iter_bytes`: ``mime::buildmessage``'s bytes, in pieces, streaming
  ``-file`` bodies; :func:`message_length`: their number, base64 ``-file``
  bodies measured rather than encoded.
- :func:`token_for_message`: a token for any EmailMessage.
"""
from __future__ import annotations

from .convert import token_for_message
from .model import MimePart
from .writer import iter_bytes, message_length

__all__ = ["MimePart", "iter_bytes", "message_length", "token_for_message"]
