"""The HTML forms in a real headless browser (Debian's Chromium): rendered to PNG at the size
of their paper, not blank, and with nothing running past the page or out of a table cell.

The PNG is read with the standard library only (header, then the image data inflated with
zlib). A blank page inflates to filter bytes and 0/255 samples only; text, with its
anti-aliased edges, gives many samples in between, so the share of such samples tells a page
with content from an empty one (a white page stays under 0.2%, a form is well over 1%).

Overflow is measured in the browser itself: a copy of the page (never the rendered form)
gets a script that records, after layout, the document's width against the window's, the
number of cells or paragraphs whose content is wider than their box, and the document's
height (an A5 form must fit on one sheet); ``--dump-dom`` prints it. Two controls show the
checks can fail: an empty page is blank, a 2000-pixel table overflows.
"""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from pathlib import Path

import pytest

from tests.test_forms import judicial_case, judicial_refused, land_case, land_stopped
from tthc_flow.forms import (
    Form,
    Page,
    apology,
    case_ledger,
    control_slip,
    receipt,
    render_html,
    stop_notice,
)

BROWSERS = ("/usr/bin/chromium", "chromium", "chromium-browser")
BROWSER = next((found for name in BROWSERS if (found := shutil.which(name))), None)

pytestmark = pytest.mark.skipif(
    BROWSER is None,
    reason="no Chromium found (/usr/bin/chromium); install it with "
    "'apt-get install -y --no-install-recommends chromium' (.ci/run does)",
)

PROBE = """<script>
addEventListener("load", () => {
  const doc = document.documentElement;
  const wide = [...document.querySelectorAll("td, th, p, div, h1")]
    .filter((e) => e.scrollWidth > e.clientWidth + 1).length;
  document.body.dataset.check =
    `${doc.scrollWidth} ${window.innerWidth} ${wide} ${doc.scrollHeight}`;
});
</script>
</body>"""


def _png(path: Path) -> tuple[int, int, float]:
    """Width, height and the share of image samples strictly between 0 and 255."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, idat, header = 8, bytearray(), b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunk = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = chunk
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), f"unexpected PNG format {depth=} {colour=}"
    raw = zlib.decompress(bytes(idat))
    channels = 3 if colour == 2 else 4
    assert len(raw) == height * (1 + width * channels)
    middle = len(raw) - raw.count(0) - raw.count(255)
    return width, height, middle / len(raw)


def _render(html: str, page: Page, tmp_path: Path, name: str) -> tuple[Path, list[int]]:
    """Screenshot ``html`` at the paper's size; returns the PNG and the probe's numbers
    (document width, window width, boxes whose content overflows, document height)."""
    width, height = page.pixels
    probed = tmp_path / f"{name}.html"
    probed.write_text(html.replace("</body>", PROBE, 1), encoding="utf-8")
    shot = tmp_path / f"{name}.png"
    profile = tmp_path / f"{name}-profile"
    profile.mkdir()
    assert BROWSER is not None
    done = subprocess.run(
        [
            BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", f"--user-data-dir={profile}", "--hide-scrollbars",
            "--force-device-scale-factor=1", f"--window-size={width},{height}",
            f"--screenshot={shot}", "--dump-dom", probed.as_uri(),
        ],
        capture_output=True, text=True, timeout=90, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    found = re.search(r'data-check="(\d+) (\d+) (\d+) (\d+)"', done.stdout)
    assert found, "the page did not finish loading in the browser"
    return shot, [int(n) for n in found.groups()]


@pytest.mark.parametrize(
    ("name", "build"),
    [
        ("receipt-2018", lambda: receipt(judicial_case())),
        ("receipt-2025", lambda: receipt(land_case())),
        ("apology-2025", lambda: apology(land_case())),
        ("stop-notice-2025", lambda: stop_notice(land_stopped())),
        ("slip-2025", lambda: control_slip(land_case())),
        ("ledger-2018", lambda: case_ledger([judicial_case(), judicial_refused()])),
    ],
)
def test_form_renders_to_a_png_of_its_paper_without_overflow(
    name: str, build: object, tmp_path: Path
) -> None:
    form: Form = build()  # type: ignore[operator]
    shot, (doc_width, window_width, wide, doc_height) = _render(
        render_html(form), form.spec.page, tmp_path, name
    )
    width, height, ink = _png(shot)
    assert (width, height) == form.spec.page.pixels
    assert ink > 0.01, f"{name} looks blank ({ink:.4%} non-white samples)"
    assert doc_width <= window_width, f"{name} is {doc_width}px wide on a {window_width}px page"
    assert wide == 0, f"{name}: {wide} boxes overflow"
    if form.spec.page is Page.A5:  # the applicant's forms fit on one sheet
        assert doc_height <= height, f"{name} is {doc_height}px tall on a {height}px sheet"


def test_the_checks_catch_a_blank_page_and_an_overflowing_table(tmp_path: Path) -> None:
    blank, _ = _render("<!DOCTYPE html><html><body></body></html>", Page.A5, tmp_path, "blank")
    assert _png(blank)[2] < 0.002
    wide_table = (
        '<!DOCTYPE html><html><body><table style="width: 2000px" border="1"><tr>'
        "<td>Phiếu kiểm soát</td></tr></table></body></html>"
    )
    _, (doc_width, window_width, _, _) = _render(wide_table, Page.A4, tmp_path, "wide")
    assert doc_width > window_width
