"""``tthc-flow slip`` and ``tthc-flow form``: the official forms of a case (biểu mẫu), from an
event journal or a case store: the receipt (giấy tiếp nhận hồ sơ và hẹn trả kết quả), the
supplement request, the refusal, the apology, the stop notice, the process control slip
(phiếu kiểm soát quá trình giải quyết hồ sơ) and the case ledger (sổ theo dõi hồ sơ)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import IO

from tthc_flow.cli._catalog_commands import catalog_argument, chosen_catalog
from tthc_flow.cli._command import Command, parse_instant
from tthc_flow.codec import terminal_lines
from tthc_flow.engine import Case
from tthc_flow.errors import InvalidInputError
from tthc_flow.forms import (
    Form,
    apology,
    case_ledger,
    control_slip,
    receipt,
    refusal,
    render_html,
    render_text,
    stop_notice,
    supplement_request,
)
from tthc_flow.journal import Skipped, read_journal
from tthc_flow.labels import DEFAULT_LANGUAGE, LANGUAGES
from tthc_flow.store import is_store_url, open_store

__all__ = ["COMMANDS", "FORMS", "find_case"]


def _slip_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "events",
        metavar="EVENTS.jsonl",
        help="event journal, JSON Lines (one event per line with case_id, procedure, version); "
        "'-' reads standard input; or a case store, e.g. sqlite:///cases.db or "
        "postgresql://host/dbname",
    )
    parser.add_argument("case_id", metavar="CASE_ID", help="the case whose slip is printed")
    _shared_arguments(parser)


def _shared_arguments(parser: argparse.ArgumentParser) -> None:
    """``--format``, ``--language``, ``--at`` (the slip), ``--strict`` and the catalog: what
    ``slip`` and ``form`` both take."""
    parser.add_argument(
        "--format", choices=("text", "html"), default="text",
        help="text (default), or print-ready HTML (A4)",
    )  # fmt: skip
    parser.add_argument(
        "--language", choices=LANGUAGES, default=DEFAULT_LANGUAGE,
        help="vi (default): the official paper, in Vietnamese only; en: with English glosses",
    )  # fmt: skip
    parser.add_argument(
        "--at", help="the slip as it stood at this instant (ISO 8601 with an offset)"
    )
    parser.add_argument(
        "--strict", action="store_true",
        help="fail on the first unreadable line of a case asked for instead of reporting it",
    )  # fmt: skip
    catalog_argument(parser)


def find_case(cases: Iterable[Case] | Mapping[str, Case], case_id: str) -> Case:
    """The case ``case_id`` among ``cases`` (an iterable of cases, or a mapping of case ids to
    cases). A missing case raises :class:`~tthc_flow.errors.InvalidInputError` naming the ones
    present."""
    found = list(cases.values()) if isinstance(cases, Mapping) else list(cases)
    for case in found:
        if case.case_id == case_id:
            return case
    ids = sorted(c.case_id for c in found)
    shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
    raise InvalidInputError(
        f"the journal has no case {case_id!r}; it holds {len(ids)} case(s)"
        + (f": {shown}." if ids else "."),
        value=case_id,
        hint="Check the case id (it is the 'case_id' of each line).",
    )


def _run_slip(args: argparse.Namespace) -> int:
    at = parse_instant(args.at, argument="--at") if args.at else None
    _print(control_slip(_one_case(args, "slip"), at=at, language=args.language), args.format)
    return 0


def _print(form: Form, style: str) -> None:
    sys.stdout.write(render_html(form) if style == "html" else render_text(form))


def _read(args: argparse.Namespace, case_ids: list[str] | None, command: str) -> list[Case]:
    """The cases ``case_ids`` (None: every case) of the journal or store ``args.events``.
    From a journal only the lines of the cases asked for are read in full, so a bad line
    of another case does not block them; the lines skipped are reported on stderr."""
    catalog = chosen_catalog(args)
    if is_store_url(args.events):
        with open_store(args.events, catalog=catalog, create=False) as store:
            if case_ids is None:
                return list(store.cases())
            return [store.load(case_id) for case_id in case_ids]
    skipped: list[Skipped] = []
    source: IO[str] | Path = sys.stdin if args.events == "-" else Path(args.events)
    found = list(
        read_journal(source, catalog, case_ids=case_ids, skipped=skipped, strict=args.strict)
    )
    for entry in skipped:
        sys.stderr.write(f"tthc-flow {command}: {terminal_lines(str(entry))}\n")
    if case_ids is not None:
        for case_id in case_ids:
            if not any(case.case_id == case_id for case in found):
                why = next((f" (it was skipped: {entry.reason})" for entry in reversed(skipped)
                            if entry.case_id == case_id), "")  # fmt: skip
                raise InvalidInputError(
                    f"the journal has no readable case {case_id!r}{why}.",
                    value=case_id,
                    hint="Check the case id (it is the 'case_id' of each line).",
                )
    return found


def _one_case(args: argparse.Namespace, command: str) -> Case:
    """The case ``args.case_id`` of the journal or store ``args.events``."""
    return _read(args, [args.case_id], command)[0]


#: The forms ``tthc-flow form`` prints, by the name given on the command line.
FORMS = ("receipt", "supplement", "refusal", "apology", "stop", "slip", "ledger")


def _form_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "form", choices=FORMS,
        help="receipt (giấy tiếp nhận), supplement (phiếu yêu cầu bổ sung), refusal (phiếu từ "
        "chối), apology (phiếu xin lỗi), stop (thông báo dừng), slip (phiếu kiểm soát), "
        "ledger (sổ theo dõi: every case of the source, or those named)",
    )  # fmt: skip
    parser.add_argument(
        "events", metavar="SOURCE",
        help="event journal (JSON Lines; '-' reads standard input) or a case store URL, "
        "e.g. sqlite:///cases.db",
    )  # fmt: skip
    parser.add_argument(
        "case_ids", metavar="CASE_ID", nargs="*",
        help="the case (one for every form but the ledger, which takes any number)",
    )  # fmt: skip
    parser.add_argument(
        "--number", type=int, default=1,
        help="which supplement request of the case (1: the first)",
    )  # fmt: skip
    parser.add_argument("--dossier-code", help="the case's code on the national portal")
    _shared_arguments(parser)


def _run_form(args: argparse.Namespace) -> int:
    if args.form == "ledger":
        cases = _read(args, args.case_ids or None, "form")
        if args.case_ids:  # in the order named
            cases = [find_case(cases, case_id) for case_id in args.case_ids]
        _print(case_ledger(cases, language=args.language), args.format)
        return 0
    if len(args.case_ids) != 1:
        raise InvalidInputError(
            f"the {args.form} form is of one case; {len(args.case_ids)} case ids were given.",
            value=args.case_ids,
            hint=f"Write tthc-flow form {args.form} SOURCE CASE_ID.",
        )
    args.case_id = args.case_ids[0]
    case = _one_case(args, "form")
    code, language = args.dossier_code, args.language
    if args.form == "slip":
        at = parse_instant(args.at, argument="--at") if args.at else None
        form = control_slip(case, at=at, dossier_code=code, language=language)
    elif args.form == "supplement":
        form = supplement_request(
            case, number=args.number, dossier_code=code, language=language
        )
    else:
        builders = {"receipt": receipt, "refusal": refusal, "apology": apology,
                    "stop": stop_notice}  # fmt: skip
        form = builders[args.form](case, dossier_code=code, language=language)
    _print(form, args.format)
    return 0


COMMANDS = (
    Command(
        "slip",
        "process control slip of a case: one row per handover, early / on time / overdue",
        _slip_arguments,
        _run_slip,
    ),
    Command(
        "form",
        "an official form of a case (receipt, supplement request, refusal, apology, stop "
        "notice, control slip) or the case ledger, as text or print-ready HTML",
        _form_arguments,
        _run_form,
    ),
)
