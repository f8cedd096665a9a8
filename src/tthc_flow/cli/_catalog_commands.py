"""``tthc-flow check``, ``show`` and ``diagram``: catalogs for the people who write them."""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tthc_flow.calendar import DEFAULT_TIMEZONE
from tthc_flow.catalog import Catalog, Publication, load_catalog
from tthc_flow.cli._command import Command, parse_day
from tthc_flow.diagrams import FORMATS, render
from tthc_flow.errors import CatalogError, InvalidInputError
from tthc_flow.samples import sample_catalog

__all__ = ["CATALOG_HELP", "COMMANDS", "catalog_argument", "chosen_catalog", "today_in_vietnam"]


# A .py file, a module or an installed catalog is imported: its code runs. Say so where the
# option is offered.
CATALOG_HELP = (
    "a catalog: a .json file (data), or a .py file, module[:attribute] or installed catalog, "
    "which is imported and its code run, so name only files and modules you trust "
    "(default: the sample)"
)


def catalog_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--catalog",
        metavar="SPEC",
        help=CATALOG_HELP,
    )


def today_in_vietnam() -> date:
    """Today's date in Vietnam, whatever the machine's own time zone: the date a catalog
    version is in force on is a date at the agency."""
    return datetime.now(ZoneInfo(DEFAULT_TIMEZONE)).date()


def chosen_catalog(args: argparse.Namespace) -> Catalog:
    spec = getattr(args, "catalog", None)
    return load_catalog(spec) if spec else sample_catalog()


# ----------------------------------------------------------------------------- check


def _check_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "catalog",
        metavar="PATH_OR_MODULE",
        help="the catalog to check: a .json file (data), or a .py file, module[:attribute] or "
        "installed catalog, which is imported and its code run, so name only ones you trust",
    )
    parser.add_argument(
        "--today", type=parse_day, default=None,
        help="date for the review check (default: today in Vietnam)",
    )


def _run_check(args: argparse.Namespace) -> int:
    try:
        catalog = load_catalog(args.catalog)
    except CatalogError as error:
        findings = getattr(error.__cause__, "findings", None) or getattr(error, "findings", None)
        print(f"✗ Danh mục không dùng được (the catalog cannot be used): {args.catalog}")
        if findings:
            for finding in findings:
                print(f"  - {finding}")
        else:
            print(f"  - {error}")
        print("Sửa các lỗi trên rồi kiểm tra lại (fix the problems above and check again).")
        return 1
    today = args.today or today_in_vietnam()
    findings = catalog.check(today=today)
    print(f"✓ {catalog.name} — {catalog.issuer}")
    print(
        f"  {len(catalog.codes)} thủ tục (procedures), {len(catalog.publications)} phiên bản "
        f"(versions), {len(catalog.units)} đơn vị (units); every procedure passed its checks."
    )
    # A catalog that could be built has no errors left: what remains are warnings.
    for finding in findings:
        print(f"  - {finding}")
    if not findings:
        print(f"  Không có cảnh báo (no warnings) on {today.isoformat()}.")
    return 0


# ----------------------------------------------------------------------------- show


def _which_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("code", help="procedure code, e.g. VD.LLTP")
    which = parser.add_mutually_exclusive_group()
    which.add_argument(
        "--on", type=parse_day, help="the version in force on this date (default: today in Vietnam)"
    )
    which.add_argument("--version", dest="proc_version", help="a version by its number")
    catalog_argument(parser)


def _publication(args: argparse.Namespace) -> Publication:
    catalog = chosen_catalog(args)
    if args.proc_version:
        return catalog.publication(args.code, args.proc_version)
    procedure = catalog.resolve(args.code, on=args.on or today_in_vietnam())
    return catalog.publication(procedure.code, procedure.version)


def _run_show(args: argparse.Namespace) -> int:
    publication = _publication(args)
    procedure = publication.procedure
    print(f"{procedure.code} — {procedure.name}")
    print(f"Phiên bản (version): {procedure.version}; loại (kind): {procedure.kind.label}")
    until = procedure.effective_until.isoformat() if procedure.effective_until else "nay (now)"
    print(f"Hiệu lực (in force): {procedure.effective_from.isoformat()} → {until}")
    if publication.decision is not None:
        print(f"Công bố (published by): {publication.decision}")
    if publication.review_by is not None:
        print(f"Rà soát trước (review by): {publication.review_by.isoformat()}")
    total = procedure.total.label if procedure.total is not None else "?"
    print(f"Thời hạn giải quyết (processing time): {total}")
    print(f"Quy tắc (rule packs): {', '.join(p.name for p in procedure.rules)}")
    if procedure.legal_basis:
        print("Căn cứ pháp lý (legal basis):")
        for basis in procedure.legal_basis:
            print(f"  - {basis}")
    if procedure.pauses:
        print(f"Thời gian không tính (excluded time): {', '.join(sorted(procedure.pauses))}")
    for adjustment in procedure.adjustments:
        where = f" (bước {adjustment.step})" if adjustment.step else ""
        print(f"Điều chỉnh (adjustment): +{adjustment.extra.label}{where} — {adjustment.name}")
        print(f"    khi (when) {dict(adjustment.when)}; {adjustment.citation}")
    print("Các bước (steps):")
    width = max(len(step.key) for step in procedure.steps)
    for number, step in enumerate(procedure.steps, 1):
        budget = step.budget.label if step.budget is not None else "?"
        role = f" ({step.role})" if step.role else ""
        marks = " [tiếp nhận]" if step.reception else (" [trả kết quả]" if step.returns else "")
        print(f"  {number}. {step.key:<{width}}  {step.name}{marks}")
        print(f"     {' ' * width}  {step.unit}{role} — {budget}")
        moves = [f"→ {t}" for t in step.forward] + [f"↩ {t}" for t in step.back]
        if moves:
            print(f"     {' ' * width}  {', '.join(moves)}")
    return 0


# ----------------------------------------------------------------------------- diagram


def _diagram_arguments(parser: argparse.ArgumentParser) -> None:
    _which_arguments(parser)
    parser.add_argument("--format", choices=FORMATS, default="mermaid", help="default: mermaid")
    parser.add_argument("--output", "-o", help="write to this file instead of standard output")


def _run_diagram(args: argparse.Namespace) -> int:
    data = render(_publication(args).procedure, args.format)
    if args.output:
        try:
            with open(args.output, "wb") as stream:
                stream.write(data)
        except OSError as error:
            raise InvalidInputError(
                f"cannot write {args.output}: {error.strerror}.", value=args.output
            ) from None
        print(f"{args.output}: {len(data)} bytes ({args.format})")
    elif args.format in ("svg", "png") and sys.stdout.isatty():
        raise InvalidInputError(
            f"{args.format} is binary data; not printing it to a terminal.",
            value=args.format,
            hint="Add --output FILE.",
        )
    else:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
    return 0


COMMANDS = (
    Command(
        "check",
        "check a catalog (file, module or installed package) and list its problems",
        _check_arguments,
        _run_check,
    ),
    Command("show", "a procedure's steps, budgets and legal basis", _which_arguments, _run_show),
    Command(
        "diagram",
        "draw a procedure (mermaid text; svg/png need Graphviz)",
        _diagram_arguments,
        _run_diagram,
    ),
)
