"""Pure-Python transcript handling: bytes → text → items and speeches → commitment candidates.

Nothing in this package imports Django, so it can be tested against stored input/output pairs and
reused outside the web application.
"""

from .decode import TranscriptError, decode_transcript
from .parser import normalise_name, parse_transcript, same_person
from .types import Candidate, Header, Item, Note, Speech, Transcript

__all__ = [
    "Candidate",
    "Header",
    "Item",
    "Note",
    "Speech",
    "Transcript",
    "TranscriptError",
    "decode_transcript",
    "detect_commitments",
    "normalise_name",
    "parse_transcript",
    "same_person",
]

from .detector import detect_commitments  # noqa: E402  (last: the detector builds on the parser)
