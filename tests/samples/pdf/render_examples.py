"""Render a real Vlaams Parlement excerpt as a multi-page PDF with the furniture real reports carry.

No public copy of a Vlaams Parlement PDF report could be found in a public repository, so the PDF
fixture is rendered from the real example text in ../shared/examples (the published web page of
the sitting) with a running header, an address footer and page numbers on every page, and long
words hyphenated at line ends, as the printed reports have them. Run from the repository root:

    python tests/samples/pdf/render_examples.py ../shared/examples/vlaams-parlement-03.txt

It needs reportlab (not a dependency of the project: only this generator uses it). The output,
tests/samples/pdf/vlaams-parlement-03.pdf, is committed; the tests read it and never run this.
"""

from __future__ import annotations

import sys
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.pdfgen import canvas

HEADER = "Vlaams Parlement – Commissievergadering nr. C118 (2018-2019) – 22 januari 2019"
FOOTER = "Vlaams Parlement – Leuvenseweg 86 – 1000 Brussel – 02 552 11 11 – www.vlaamsparlement.be"
WIDTH = 62  # characters per line: narrow, so paragraphs wrap and long words get split
LINES_PER_PAGE = 12


def wrap(paragraph: str) -> list[str]:
    """Lines of at most WIDTH characters; a long word that does not fit is hyphenated."""
    lines, line = [], ""
    for word in paragraph.split():
        candidate = f"{line} {word}".strip()
        if len(candidate) <= WIDTH:
            line = candidate
            continue
        room = WIDTH - len(line) - 2
        if len(word) >= 10 and room >= 4 and word.isalpha():
            lines.append(f"{line} {word[:room]}-")
            line = word[room:]
        else:
            lines.append(line)
            line = word
    if line:
        lines.append(line)
    return lines


def main(source: str) -> None:
    text = Path(source).read_text(encoding="utf-8")
    body = text.split("U bent hier", 1)[1].strip()
    lines: list[str] = []
    for paragraph in body.split("\n\n"):
        lines.extend(wrap(paragraph))
        lines.append("")
    out = Path(__file__).with_name(Path(source).stem + ".pdf")
    pdf = canvas.Canvas(str(out), pagesize=A5, invariant=True)
    pdf.setTitle("Verslag commissievergadering")
    width, height = A5
    for number, start in enumerate(range(0, len(lines), LINES_PER_PAGE), 1):
        pdf.setFont("Helvetica", 6)
        pdf.drawString(30, height - 25, HEADER)
        pdf.drawString(30, 25, FOOTER)
        pdf.drawRightString(width - 30, 12, str(number))
        pdf.setFont("Helvetica", 8)
        y = height - 50
        for line in lines[start : start + LINES_PER_PAGE]:
            pdf.drawString(30, y, line)
            y -= 15
        pdf.showPage()
    pdf.save()


if __name__ == "__main__":
    main(sys.argv[1])
