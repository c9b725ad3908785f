"""Sentence segmentation for readouts.

Readouts quote speech heavily, so the segmenter is quote-aware: a full stop
followed by a closing quotation mark ends the sentence *after* the mark
(``…on Israeli threats.”``), and full stops inside a quotation that is closed
later in the same paragraph do not split it (``"We will respond. Our patience
has limits," he said.`` is one sentence: one reported act). Blank lines are
hard boundaries; single line breaks are treated as spaces (wrapped text).

The rules are deliberately few and testable; see ``tests/test_segment.py``.
"""

import re

# Titles, ranks, months, honorifics ("H.E." His/Her Excellency, "H.M.", "H.R.H.") and dotted
# acronyms that end in a full stop mid-sentence.
ABBREVIATIONS = frozenset(
    """mr mrs ms dr prof st gen lt col maj capt sgt adm gov sen rep amb hon rev jr sr
    no nos art sec dept co corp inc ltd vs approx est fig
    jan feb mar apr jun jul aug sep sept oct nov dec
    e.g i.e u.s u.k u.n e.u u.a.e h.e h.m h.r.h h.h s.e""".split()
)

OPEN_DOUBLE = "“"
CLOSE_DOUBLE = "”"
STRAIGHT_DOUBLE = '"'

# Terminal punctuation, optional closing quotes/brackets, whitespace, then the
# start of a new sentence (optionally opened by a quote or bracket).
_CANDIDATE = re.compile(r"[.!?]+[\"'”’)\]]*(?=\s+[\"“‘(\[]?[A-Z0-9])")
_PARAGRAPH = re.compile(r"\n\s*\n")
_WORD_BEFORE_DOT = re.compile(r"([A-Za-z][A-Za-z.]*)\.$")


def _inside_quote_flags(paragraph: str) -> list[bool]:
    """For each character, whether it lies inside an open double quotation.

    Returns all-False when the paragraph's quotes do not balance: an unclosed
    quote is more often a typo than a paragraph-long quotation.
    """
    flags, inside = [], False
    for char in paragraph:
        if char == OPEN_DOUBLE:
            inside = True
        elif char == CLOSE_DOUBLE:
            inside = False
        elif char == STRAIGHT_DOUBLE:
            inside = not inside
        flags.append(inside)
    return flags if not inside else [False] * len(paragraph)


def _is_abbreviation(text_before_dot: str) -> bool:
    match = _WORD_BEFORE_DOT.search(text_before_dot)
    if not match:
        return False
    word = match.group(1).lower()
    return word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())


def split_paragraph(paragraph: str) -> list[str]:
    """Split one paragraph (no blank lines) into sentences."""
    paragraph = " ".join(paragraph.split())
    if not paragraph:
        return []
    inside = _inside_quote_flags(paragraph)
    sentences, start = [], 0
    for match in _CANDIDATE.finditer(paragraph):
        end = match.end()
        if inside[end - 1]:
            continue
        dot_at = match.start() + len(match.group(0).rstrip("\"'”’)]"))
        if paragraph[dot_at - 1] == "." and _is_abbreviation(paragraph[start:dot_at]):
            continue
        sentences.append(paragraph[start:end].strip())
        start = end
    tail = paragraph[start:].strip()
    if tail:
        sentences.append(tail)
    return sentences


def split_sentences(text: str) -> list[str]:
    """Split a raw readout into sentences, in order; blank lines end paragraphs."""
    return [s for para in _PARAGRAPH.split(text.strip()) for s in split_paragraph(para)]
