"""Every rule of the Decree 118/2025 pack cites an article and clause that exist in the
decree's text (``docs/law/decree-118-2025.txt``), and says what it says; rules taken from
another document say where they come from and that the source is secondary."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tthc_flow.engine import DECREE_118_2025

LAW = Path(__file__).resolve().parent.parent / "docs" / "law" / "decree-118-2025.txt"
DECREE = "Nghị định 118/2025/NĐ-CP"


def structure() -> dict[int, dict[int, set[str]]]:
    """Article → clause → points, read from the text's own numbering."""
    articles: dict[int, dict[int, set[str]]] = {}
    article = clause = None
    for line in LAW.read_text(encoding="utf-8").splitlines():
        point = re.match(r"([a-zđ])\) ", line)
        if match := re.match(r"Điều (\d+)\.", line):
            article, clause = int(match[1]), None
            articles[article] = {}
        elif article is not None and (match := re.match(r"(\d+)\. ", line)):
            clause = int(match[1])
            articles[article][clause] = set()
        elif article is not None and clause is not None and point is not None:
            articles[article][clause].add(point[1])
    return articles


def cited(citation: str) -> list[tuple[int, int, str | None]]:
    """(article, clause, point) of every 'Điều N khoản M [điểm x]' in a citation; 'khoản 1 và 2'
    and ', khoản 2 điểm a' after an article count for that article."""
    found = []
    clauses = r"(?:[ ,]+(?:và )?khoản \d+(?: và \d+)?(?: điểm [a-zđ])?)+"
    for part in re.finditer(rf"Điều (\d+)({clauses})", citation):
        article = int(part[1])
        for clause in re.finditer(r"khoản (\d+)(?: và (\d+))?(?: điểm ([a-zđ]))?", part[2]):
            found.append((article, int(clause[1]), clause[3]))
            if clause[2]:
                found.append((article, int(clause[2]), None))
    return found


def rules() -> dict[str, str]:
    pack = DECREE_118_2025
    table = {f"reason {code}": rule.citation for code, rule in pack.reasons.items()}
    table["pack"] = pack.citation
    table["reschedule"] = pack.reschedule.citation
    table["same_day"] = pack.same_day.citation
    for name in ("closure", "forwarding", "stop", "refusal"):
        rule = getattr(pack, name)
        assert rule is not None, f"the Decree 118 pack has a {name} rule"
        table[name] = rule.citation
    return table


def test_the_text_is_the_decree() -> None:
    text = LAW.read_text(encoding="utf-8")
    assert text.startswith("Nghị định 118/2025/NĐ-CP")
    articles = structure()
    assert len(articles) == 41
    assert articles[18].keys() == {1, 2} and articles[19][4] == {"a", "b", "c", "d"}


@pytest.mark.parametrize("name", sorted(rules()))
def test_each_rule_cites_an_article_and_clause_of_the_text(name: str) -> None:
    citation = rules()[name]
    if DECREE not in citation:
        # Taken from another document (land procedures: Decree 151/2025): said so, and
        # that the source could not be read.
        assert "secondary source" in citation, citation
        return
    references = cited(citation)
    assert references, f"{name} cites no article and clause: {citation}"
    articles = structure()
    for article, clause, point in references:
        assert clause in articles[article], f"{name}: Điều {article} has no khoản {clause}"
        if point is not None:
            assert point in articles[article][clause], (
                f"{name}: Điều {article} khoản {clause} has no điểm {point}"
            )
    assert "carried over" not in citation


def test_the_citations_say_what_the_text_says() -> None:
    text = LAW.read_text(encoding="utf-8")
    # The phrases the rules rest on, as the decree writes them.
    for phrase in (
        "chỉ được yêu cầu sửa đổi, bổ sung một lần",  # Art. 11(2)(c)
        "chuyển vào đầu giờ ngày làm việc tiếp theo đối với trường hợp tiếp nhận sau 15 giờ",
        "Thời gian thông báo trả lại hồ sơ không quá 03 ngày làm việc kể từ ngày tiếp nhận",
        "Thời hạn giải quyết được tính lại từ đầu sau khi nhận đủ hồ sơ",
        "Sau 15 ngày kể từ khi thông báo",
        "trong thời hạn chậm nhất 01 ngày trước ngày hết hạn",
        "Việc hẹn lại ngày trả kết quả được thực hiện không quá một lần",
        "trong không quá 01 ngày làm việc kể từ khi tiếp nhận hồ sơ",
        "Thời hạn thông báo phải trong thời hạn giải quyết hồ sơ theo quy định",
    ):
        assert phrase in text, phrase
    assert cited("Điều 17 khoản 1 điểm c, khoản 2 điểm a; Điều 21 khoản 1 và 2") == [
        (17, 1, "c"), (17, 2, "a"), (21, 1, None), (21, 2, None),
    ]  # fmt: skip
