"""What a paper prints of a rule's citation: the legal documents and the article numbers, in
Vietnamese, and nothing else.

A rule's citation (:attr:`~tthc_flow.engine.Violation.citation`, a rule pack's texts) is written
for the people who maintain the rules: it quotes the text, explains a reading in English, and
says when an article number was taken from a secondary source. A paper in the case's file (the
process control slip) prints only what can be cited: each document named (``Nghị định
118/2025/NĐ-CP``, ``Luật Lý lịch tư pháp 2009``) with the articles cited from it (``Điều 19
khoản 5``, ``Điều 17 khoản 1 điểm c, khoản 2 điểm a``, ``khoản 3 Điều 19``). A part of the
citation marked as taken from a secondary source (``theo nguồn thứ cấp``, ``secondary
source``, ``theo báo chí``) is left out, articles and all: a paper cites only what was read in
the text. A document cited without an article number is left out too.

How the parts are read: the citation is cut into clauses at the semicolons outside brackets;
within a clause, each document named outside brackets starts a part that runs to the next; the
articles of a part are the document's, except one written just before a document (``Điều 48
Luật Lý lịch tư pháp 2009``), which is that document's. A clause that names no document
(``…; sau thẩm định … (Điều 19 khoản 5)``) cites the first document of the citation, and a
secondary-source remark in such a clause is on that document.

>>> cited_articles(
...     "Nghị định 118/2025/NĐ-CP, Điều 19 khoản 6: văn bản xin lỗi; hẹn lại không quá một lần. "
...     "Đơn vị gây chậm: Nghị định 61/2018/NĐ-CP, Điều 12 khoản 5 (theo nguồn thứ cấp)"
... )
'Nghị định 118/2025/NĐ-CP, Điều 19 khoản 6'
"""

from __future__ import annotations

import re

__all__ = ["cited_articles"]

_CODE = r"\d+(?:[/.\-][\wĐđ]+)*/[\wĐđ]+(?:[/.\-][\wĐđ]+)*"
_DOCUMENT = re.compile(
    r"(?:Nghị định|Nghị quyết|Thông tư liên tịch|Thông tư|Quyết định|Công văn|Chỉ thị|Pháp lệnh)"
    rf"(?: số)? {_CODE}"
    r"|(?:Bộ luật|Luật) số \d+/\d{4}/QH\d+"
    r"|(?:Bộ luật|Luật)(?: [A-ZĐÀ-Ỹa-zđà-ỹ][\w\-]*){1,10}? (?:năm )?\d{4}(?!\d)"
)
_NUMBER = r"\d+[a-z]?(?!\w)"
_NUMBERS = rf"{_NUMBER}(?:(?:\s*,\s*|\s+và\s+){_NUMBER})*"
_LETTER = r"[a-zđ](?!\w)"
_LETTERS = rf"{_LETTER}(?:(?:\s*,\s*|\s+và\s+){_LETTER})*"
_CLAUSE = rf"khoản\s+{_NUMBERS}(?:\s+điểm\s+{_LETTERS})?"
_ARTICLE = re.compile(
    rf"Điều\s+{_NUMBER}(?:\s+{_CLAUSE}(?:\s*,\s*{_CLAUSE})*)?"
    rf"|(?:điểm\s+{_LETTERS}\s+)?khoản\s+{_NUMBERS}\s+Điều\s+{_NUMBER}"
)
_OF = re.compile(r"\s*(?:,\s*)?(?:của\s+)?")
_SECONDARY = re.compile(r"nguồn thứ cấp|secondary|theo báo chí", re.IGNORECASE)


def _depths(text: str) -> list[int]:
    """The bracket depth at each character of ``text``."""
    depths, depth = [], 0
    for char in text:
        if char in ")]":
            depth = max(depth - 1, 0)
        depths.append(depth)
        if char in "([":
            depth += 1
    return depths


def _clauses(text: str, depths: list[int]) -> list[tuple[int, int]]:
    """The spans of ``text`` between semicolons outside brackets."""
    spans, start = [], 0
    for index, char in enumerate(text):
        if char == ";" and depths[index] == 0:
            spans.append((start, index))
            start = index + 1
    spans.append((start, len(text)))
    return spans


def _spaced(text: str) -> str:
    return " ".join(text.split())


def cited_articles(citation: str) -> str:
    """The documents and articles ``citation`` cites from the text, in Vietnamese, as a paper
    prints them (see the module): ``Nghị định 118/2025/NĐ-CP, Điều 11 khoản 2 điểm c; Điều 19
    khoản 5``, documents separated by ``; ``; empty when it cites no article (an engine rule
    has no citation) or only from secondary sources."""
    depths = _depths(citation)
    documents = list(_DOCUMENT.finditer(citation))
    outer = [m for m in documents if depths[m.start()] == 0] or documents
    # The parts: (document, start, end, from a secondary source); a clause's text before its
    # first document is the principal document's (None when the citation names none).
    parts: list[tuple[re.Match[str] | None, int, int, bool]] = []
    for start, end in _clauses(citation, depths):
        starts = [m for m in outer if start <= m.start() < end]
        bounds = [start, *(m.start() for m in starts), end]
        for index, document in enumerate([None, *starts]):
            low, high = bounds[index], bounds[index + 1]
            parts.append((document, low, high, bool(_SECONDARY.search(citation, low, high))))
    secondary = {document.start(): marked for document, _, _, marked in parts if document}
    principal = outer[0] if outer else None
    if principal is not None and any(marked for document, _, _, marked in parts if not document):
        # A remark in a clause of the principal document's (…; Điều 12 khoản 5 (theo nguồn
        # thứ cấp)) is on that document: none of its articles is cited.
        secondary[principal.start()] = True
    cited: dict[str, list[str]] = {}
    for document, low, high, marked in parts:
        owner = document or principal
        if marked or (owner is not None and secondary.get(owner.start(), False)):
            continue
        for article in _ARTICLE.finditer(citation, low, high):
            # An article written just before a document (Điều 48 Luật …) is that document's.
            follows = _OF.match(citation, article.end())
            after = _DOCUMENT.match(citation, follows.end()) if follows else None
            if after is not None and secondary.get(after.start(), False):
                continue
            source = after if after is not None else owner
            articles = cited.setdefault(_spaced(source.group()) if source else "", [])
            text = _spaced(article.group())
            if text not in articles:
                articles.append(text)
    return "; ".join(
        f"{name}, {'; '.join(articles)}" if name else "; ".join(articles)
        for name, articles in cited.items()
    )
