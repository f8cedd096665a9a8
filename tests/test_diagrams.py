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
    assert "Phòng Hành chính tư pháp, Sở Tư pháp (chuyên viên) — 6 ngày làm việc" in shown
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
