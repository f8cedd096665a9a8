"""Diagrams: Mermaid text written out by hand for a small procedure, DOT, and images drawn
by Graphviz where it is installed; and the catalog commands that show them."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from tthc_flow.cli import main
from tthc_flow.diagrams import render, to_dot, to_mermaid
from tthc_flow.engine import BudgetPolicy, Procedure, ProcedureKind, Step, WorkingDays
from tthc_flow.errors import DiagramError
from tthc_flow.samples import sample_catalog

ROOT = Path(__file__).resolve().parent.parent


def small() -> Procedure:
    return Procedure(
        code="D.1", name='Thủ tục "nhỏ"', version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(2), budget_policy=BudgetPolicy.WITHIN,
        steps=[
            Step("in", "Tiếp nhận", "Một cửa", WorkingDays("0.5"), next="check", reception=True),
            Step("check", "Kiểm tra <sơ bộ>", "Phòng A", WorkingDays(0), next="work",
                 branches={"nhanh": "out"}),
            Step("work", "Xử lý", "Phòng A", WorkingDays(1), role="chuyên viên", next="out",
                 back="check"),
            Step("out", "Trả kết quả", "Một cửa", WorkingDays("0.5"), returns=True),
        ],
    )  # fmt: skip


def test_mermaid_of_a_small_procedure() -> None:
    expected = "\n".join(
        [
            "flowchart TD",
            '    s0["<b>Tiếp nhận</b><br/>Một cửa<br/>0.5 ngày làm việc"]',
            '    s1["<b>Kiểm tra #lt;sơ bộ#gt;</b><br/>Phòng A<br/>0 ngày làm việc"]',
            '    s2["<b>Xử lý</b><br/>Phòng A — chuyên viên<br/>1 ngày làm việc"]',
            '    s3["<b>Trả kết quả</b><br/>Một cửa<br/>0.5 ngày làm việc"]',
            "    s0 --> s1",
            "    s1 --> s2",
            '    s1 -->|"nhanh"| s3',
            "    s2 --> s3",
            '    s2 -.->|"trả lại (send back)"| s1',
            "    classDef desk fill:#e8f1fb,stroke:#2b6cb0",
            "    class s0,s3 desk",
        ]
    )
    assert to_mermaid(small()) == expected + "\n"


def test_dot_draws_send_backs_dashed_and_escapes_quotes() -> None:
    dot = to_dot(small())
    assert 'label="D.1 v1: Thủ tục \\"nhỏ\\"\\nthời hạn (total): 2 ngày làm việc"' in dot
    assert "s2 -> s1 [style=dashed" in dot
    assert 's1 -> s3 [label="nhanh"];' in dot
    assert dot.count("->") == 5


FINANCE = "Phòng Tài chính - Kế hoạch"
ENVIRONMENT = "Phòng Tài nguyên và Môi trường"


def consulting() -> Procedure:
    """Two consulted units; the finance division is asked again at the verification step."""
    lead = "Phòng Quản lý đô thị"
    return Procedure(
        code="D.YK", name="Cấp phép có lấy ý kiến", version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(10), budget_policy=BudgetPolicy.WITHIN,
        steps=[
            Step("in", "Tiếp nhận", "Một cửa", WorkingDays("0.5"), next="review",
                 reception=True),
            Step("review", "Thẩm định, lấy ý kiến", lead, WorkingDays(6), next="verify",
                 consults={FINANCE: WorkingDays(3), ENVIRONMENT: WorkingDays(2)}),
            Step("verify", "Xác minh", lead, WorkingDays(2), next="out", back="review",
                 consults={FINANCE: WorkingDays("1.5")}),
            Step("out", "Trả kết quả", "Một cửa", WorkingDays("1.5"), returns=True),
        ],
    )  # fmt: skip


def test_mermaid_draws_each_consulted_unit_once_with_dashed_edges() -> None:
    expected = "\n".join(
        [
            "flowchart TD",
            '    s0["<b>Tiếp nhận</b><br/>Một cửa<br/>0.5 ngày làm việc"]',
            '    s1["<b>Thẩm định, lấy ý kiến</b><br/>Phòng Quản lý đô thị<br/>6 ngày làm việc"]',
            '    s2["<b>Xác minh</b><br/>Phòng Quản lý đô thị<br/>2 ngày làm việc"]',
            '    s3["<b>Trả kết quả</b><br/>Một cửa<br/>1.5 ngày làm việc"]',
            '    u0("Phòng Tài chính - Kế hoạch")',
            '    u1("Phòng Tài nguyên và Môi trường")',
            "    s0 --> s1",
            "    s1 --> s2",
            '    s1 -.->|"lấy ý kiến: 3 ngày làm việc"| u0',
            '    s1 -.->|"lấy ý kiến: 2 ngày làm việc"| u1',
            "    s2 --> s3",
            '    s2 -.->|"trả lại (send back)"| s1',
            '    s2 -.->|"lấy ý kiến: 1.5 ngày làm việc"| u0',
            "    classDef desk fill:#e8f1fb,stroke:#2b6cb0",
            "    class s0,s3 desk",
            "    classDef consulted fill:#fff8e1,stroke:#b7791f,stroke-dasharray:4 3",
            "    class u0,u1 consulted",
        ]
    )
    assert to_mermaid(consulting()) == expected + "\n"


def test_dot_draws_consulted_units_as_notes_with_dashed_edges() -> None:
    dot = to_dot(consulting())
    lines = dot.splitlines()
    for node, unit in (("u0", FINANCE), ("u1", ENVIRONMENT)):
        assert f'  {node} [label="{unit}", shape=note, style="filled,dashed", ' in dot
        assert sum(line.startswith(f"  {node} [") for line in lines) == 1
    for edge, days in (("s1 -> u0", "3"), ("s1 -> u1", "2"), ("s2 -> u0", "1.5")):
        assert (
            f'  {edge} [style=dashed, color="#b7791f", fontcolor="#b7791f", '
            f'label="lấy ý kiến\\n{days} ngày làm việc"];'
        ) in lines
    assert dot.count("->") == 7


def test_consulted_unit_names_are_escaped_as_labels_are() -> None:
    odd = 'Phòng "Tài nguyên" <TN&MT> #1'
    procedure = Procedure(
        code="D.2", name="Thủ tục", version="1", kind=ProcedureKind.ONE_STOP,
        total=WorkingDays(2), budget_policy=BudgetPolicy.WITHIN,
        steps=[
            Step("in", "Tiếp nhận", "Một cửa", WorkingDays(1), next="out", reception=True,
                 consults={odd: WorkingDays("0.5")}),
            Step("out", "Trả kết quả", "Một cửa", WorkingDays(1), returns=True),
        ],
    )  # fmt: skip
    mermaid = to_mermaid(procedure)
    assert '    u0("Phòng #quot;Tài nguyên#quot; #lt;TN#amp;MT#gt; #35;1")' in mermaid
    assert '  u0 [label="Phòng \\"Tài nguyên\\" <TN&MT> #1", shape=note' in to_dot(procedure)


def test_procedures_without_consultations_draw_no_unit_nodes() -> None:
    for procedure in (small(), sample_catalog().version("VD.NB", "2025.1")):
        assert "consulted" not in to_mermaid(procedure)
        assert "shape=note" not in to_dot(procedure)
        assert "lấy ý kiến" not in to_dot(procedure).replace("Thẩm định, lấy ý kiến", "")


def test_the_readme_shows_the_diagram_the_library_draws() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```mermaid\n(.*?)```", readme, flags=re.DOTALL)
    procedure = sample_catalog().version("VD.LTKS", "2025.07")
    assert blocks == [to_mermaid(procedure)]


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize(("fmt", "magic"), [("svg", b"<?xml"), ("png", b"\x89PNG\r\n\x1a\n")])
def test_images_are_drawn_by_graphviz(fmt: str, magic: bytes) -> None:
    data = render(sample_catalog().version("VD.NB", "2025.1"), fmt)
    assert data.startswith(magic)
    if fmt == "svg":
        assert "Thẩm định, dự thảo văn bản (chủ trì)" in data.decode("utf-8")


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
@pytest.mark.parametrize(("fmt", "magic"), [("svg", b"<?xml"), ("png", b"\x89PNG\r\n\x1a\n")])
def test_graphviz_draws_consultations(fmt: str, magic: bytes) -> None:
    data = render(consulting(), fmt)
    assert data.startswith(magic)
    if fmt == "svg":
        svg = data.decode("utf-8")
        # Graphviz writes "-" as a character reference.
        assert svg.count(">Phòng Tài chính &#45; Kế hoạch</text>") == 1
        assert f">{ENVIRONMENT}</text>" in svg
        assert ">3 ngày làm việc</text>" in svg and ">1.5 ngày làm việc</text>" in svg
        assert svg.count(">lấy ý kiến</text>") == 3


def test_unknown_format_and_missing_graphviz_are_clear(monkeypatch: pytest.MonkeyPatch) -> None:
    with pytest.raises(DiagramError, match="unknown diagram format"):
        render(small(), "gif")
    monkeypatch.setattr(shutil, "which", lambda _name: None)
    with pytest.raises(DiagramError, match="apt-get install graphviz"):
        render(small(), "svg")
    assert render(small(), "mermaid").decode("utf-8") == to_mermaid(small())


def test_diagram_and_show_commands(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert main(["diagram", "VD.LTKS", "--on", "2026-01-05"]) == 0
    out = capsys.readouterr().out
    assert out == to_mermaid(sample_catalog().resolve("VD.LTKS", on=date(2026, 1, 5)))
    target = tmp_path / "d.mmd"
    assert main(["diagram", "VD.NB", "--version", "2024.1", "-o", str(target)]) == 0
    assert target.read_text("utf-8") == to_mermaid(sample_catalog().version("VD.NB", "2024.1"))
    assert main(["show", "VD.LLTP", "--on", "2025-02-28"]) == 0
    shown = capsys.readouterr().out
    assert "Phiên bản (version): 2018.1" in shown
    assert "Phòng Hành chính tư pháp, Sở Tư pháp (chuyên viên) — 6.5 ngày làm việc" in shown
    assert "+5 ngày làm việc (bước review)" in shown
    assert main(["show", "VD.DD", "--on", "2025-06-30"]) == 2  # not in force yet
    assert "no version of procedure 'VD.DD'" in capsys.readouterr().err


def test_check_command_exit_codes(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", "tthc_flow.samples:sample_catalog", "--today", "2026-11-24"]) == 0
    out = capsys.readouterr().out
    assert "4 thủ tục (procedures), 7 phiên bản (versions), 16 đơn vị (units)" in out
    assert "VD.NB v2025.1: was due for its yearly review on 2026-02-20" in out
    assert main(["check", "tthc_flow.samples:sample_catalog", "--today", "2026-01-05"]) == 0
    assert "Không có cảnh báo" in capsys.readouterr().out
    bad = tmp_path / "bad.py"
    bad.write_text(
        "from tthc_flow.catalog import Catalog, Unit\n"
        "from tthc_flow.samples import sample_catalog\n"
        "CATALOG = Catalog(name='x', issuer='y', units=[Unit('A', 'xã')],\n"
        "                  publications=sample_catalog().publications)\n",
        "utf-8",
    )
    assert main(["check", str(bad)]) == 1
    out = capsys.readouterr().out
    assert "✗ Danh mục không dùng được" in out
    assert "unit 'Bộ phận Một cửa UBND xã' is not in the catalog's list of units" in out
