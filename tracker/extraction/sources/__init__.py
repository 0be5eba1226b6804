"""Readers for what parliaments publish as they publish it, each turned into a text layout the parser reads.

Every reader is a pure function of bytes (no Django, no network): official Handelingen XML
(officielebekendmakingen ``h-tk-…``/``h-ek-…``), ParlaMint TEI and PDF reports. decode_transcript
recognises them by content and hands their text to the same parser and detector as any upload.
"""

from .handelingen_xml import read_handelingen
from .parlamint_tei import read_parlamint
from .pdf import read_pdf
from .xml import xml_root_name

__all__ = ["read_handelingen", "read_parlamint", "read_pdf", "xml_root_name"]
