"""Diagrams of procedures (sơ đồ quy trình): Mermaid text with no system dependency, and
Graphviz DOT, rendered to SVG or PNG where Graphviz's ``dot`` is installed.

Every step is a node showing its name, its unit (and role) and its budget; handovers are
solid arrows, named branches carry their name, and send-backs for rework (trả lại) are
dashed arrows so that loops stand out. Reception and return steps (the desk) are shaded.
Units a step consults (lấy ý kiến, thẩm tra, xác minh: Decree 118/2025 Art. 19(4)) are
nodes of their own (rounded in Mermaid, a note in Graphviz), one per unit however many steps
consult it, reached by a dashed arrow carrying "lấy ý kiến" and the time it has to answer.
A fork (chuyển đồng thời, Decree 118/2025 Art. 20(2)(b)) draws thick arrows to its branches,
labelled "song song (parallel)"; the join, where the branches meet, says it waits for every
branch; a procedure that runs its branches one after another on paper (Art. 20(2)(a)) adds
a note giving that order.

>>> from tthc_flow.samples import sample_catalog
>>> text = to_mermaid(sample_catalog().version("VD.LTKS", "2025.07"))
>>> text.splitlines()[0]
'flowchart TD'
"""

from __future__ import annotations

import shutil
import subprocess

from tthc_flow.engine import Order, Procedure, Step
from tthc_flow.engine._graph import forks_of
from tthc_flow.errors import DiagramError

__all__ = ["FORMATS", "render", "to_dot", "to_mermaid"]

FORMATS = ("mermaid", "dot", "svg", "png")
SEND_BACK_LABEL = "trả lại (send back)"
CONSULT_LABEL = "lấy ý kiến"
FORK_LABEL = "song song (parallel)"
JOIN_LABEL = "chờ đủ các nhánh (join: waits for every branch)"


def _joins(procedure: Procedure) -> set[str]:
    return {fork.join for fork in forks_of(procedure).values()}


def _order_notes(procedure: Procedure) -> list[str]:
    """One note per fork whose branches run in turn on paper: the fixed order."""
    if Order.SEQUENTIAL not in procedure.orders.values():
        return []
    channels = ", ".join(c for c, o in procedure.orders.items() if o is Order.SEQUENTIAL)
    notes = []
    for fork in forks_of(procedure).values():
        names = " → ".join(procedure.step(branch).name for branch in fork.branches)
        notes.append(f"Hồ sơ giấy ({channels}): lần lượt (in turn) {names}")
    return notes


def _ids(procedure: Procedure) -> dict[str, str]:
    # Step keys are free text; diagram languages want plain identifiers.
    return {step.key: f"s{number}" for number, step in enumerate(procedure.steps)}


def _consulted(procedure: Procedure) -> dict[str, str]:
    """Node id of each consulted unit, in the order steps first name them; a unit consulted
    by several steps is one node."""
    ids: dict[str, str] = {}
    for step in procedure.steps:
        for unit in step.consults:
            ids.setdefault(unit, f"u{len(ids)}")
    return ids


def _who(step: Step) -> str:
    return f"{step.unit} — {step.role}" if step.role else step.unit


def _mermaid_text(text: str) -> str:
    # Mermaid's entity codes keep quotes and angle brackets from ending the label; "#" goes
    # first, or a name holding "#lt;" would turn into "<".
    return (
        text.replace("#", "#35;")
        .replace("&", "#amp;")
        .replace('"', "#quot;")
        .replace("<", "#lt;")
        .replace(">", "#gt;")
    )


def _edges(step: Step) -> list[tuple[str, str]]:
    """(target, label) of each forward move: a target reached by ``next`` and by named
    branches carries every name; one reached by ``next`` alone has no label."""
    names: dict[str, list[str]] = {}
    for name, target in step.branches.items():
        names.setdefault(target, []).append(name)
    return [(target, " / ".join(names.get(target, []))) for target in step.forward]


def to_mermaid(procedure: Procedure) -> str:
    """The procedure as a Mermaid flowchart (text, ends with a newline)."""
    ids = _ids(procedure)
    units = _consulted(procedure)
    joins = _joins(procedure)
    lines = ["flowchart TD"]
    for step in procedure.steps:
        budget = step.budget.label if step.budget is not None else "?"
        parts = [f"<b>{_mermaid_text(step.name)}</b>", _mermaid_text(_who(step)), budget]
        if step.key in joins:
            parts.append(f"<i>{_mermaid_text(JOIN_LABEL)}</i>")
        label = "<br/>".join(parts)
        lines.append(f'    {ids[step.key]}["{label}"]')
    for unit, node in units.items():
        lines.append(f'    {node}("{_mermaid_text(unit)}")')
    for step in procedure.steps:
        for target, label in _edges(step):
            if label:
                lines.append(f"    {ids[step.key]} -->|\"{_mermaid_text(label)}\"| {ids[target]}")
            elif target in step.fork:
                lines.append(f"    {ids[step.key]} ==>|\"{FORK_LABEL}\"| {ids[target]}")
            else:
                lines.append(f"    {ids[step.key]} --> {ids[target]}")
        for target in step.back:
            lines.append(f"    {ids[step.key]} -.->|\"{SEND_BACK_LABEL}\"| {ids[target]}")
        for unit, answer in step.consults.items():
            label = _mermaid_text(f"{CONSULT_LABEL}: {answer.label}")
            lines.append(f'    {ids[step.key]} -.->|"{label}"| {units[unit]}')
    for number, note in enumerate(_order_notes(procedure)):
        lines.append(f'    o{number}[/"{_mermaid_text(note)}"/]')
    desk = [ids[s.key] for s in procedure.steps if s.reception or s.returns]
    if desk:
        lines.append("    classDef desk fill:#e8f1fb,stroke:#2b6cb0")
        lines.append(f"    class {','.join(desk)} desk")
    if units:
        lines.append("    classDef consulted fill:#fff8e1,stroke:#b7791f,stroke-dasharray:4 3")
        lines.append(f"    class {','.join(units.values())} consulted")
    return "\n".join(lines) + "\n"


def _dot_text(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def to_dot(procedure: Procedure) -> str:
    """The procedure as a Graphviz DOT digraph (text, ends with a newline)."""
    ids = _ids(procedure)
    units = _consulted(procedure)
    title = _dot_text(f"{procedure.code} v{procedure.version}: {procedure.name}")
    total = procedure.total.label if procedure.total is not None else "?"
    lines = [
        "digraph procedure {",
        f'  label="{title}\\nthời hạn (total): {_dot_text(total)}";',
        "  labelloc=t; rankdir=TB; fontname=\"DejaVu Sans\";",
        '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="DejaVu Sans"];',
        '  edge [fontname="DejaVu Sans", fontsize=10];',
    ]
    joins = _joins(procedure)
    for step in procedure.steps:
        budget = step.budget.label if step.budget is not None else "?"
        parts = [step.name, _who(step), budget] + ([JOIN_LABEL] if step.key in joins else [])
        label = "\\n".join(_dot_text(part) for part in parts)
        fill = ', fillcolor="#e8f1fb"' if step.reception or step.returns else ""
        lines.append(f'  {ids[step.key]} [label="{label}"{fill}];')
    for unit, node in units.items():
        lines.append(
            f'  {node} [label="{_dot_text(unit)}", shape=note, style="filled,dashed", '
            'fillcolor="#fff8e1", color="#b7791f"];'
        )
    for step in procedure.steps:
        for target, name in _edges(step):
            if target in step.fork:
                lines.append(
                    f'  {ids[step.key]} -> {ids[target]} [style=bold, penwidth=2, '
                    f'label="{FORK_LABEL}"];'
                )
                continue
            label = f' [label="{_dot_text(name)}"]' if name else ""
            lines.append(f"  {ids[step.key]} -> {ids[target]}{label};")
        for target in step.back:
            lines.append(
                f'  {ids[step.key]} -> {ids[target]} [style=dashed, color=gray40, '
                f'fontcolor=gray40, label="{SEND_BACK_LABEL}", constraint=false];'
            )
        for unit, answer in step.consults.items():
            label = "\\n".join(_dot_text(part) for part in (CONSULT_LABEL, answer.label))
            lines.append(
                f'  {ids[step.key]} -> {units[unit]} [style=dashed, color="#b7791f", '
                f'fontcolor="#b7791f", label="{label}"];'
            )
    for number, note in enumerate(_order_notes(procedure)):
        lines.append(f'  o{number} [label="{_dot_text(note)}", shape=note, fillcolor="#f0f0f0"];')
    lines.append("}")
    return "\n".join(lines) + "\n"


def render(procedure: Procedure, format: str = "mermaid") -> bytes:
    """The diagram in ``format``: ``mermaid`` and ``dot`` as UTF-8 text, ``svg`` and ``png``
    drawn by Graphviz's ``dot`` program (a :class:`~tthc_flow.errors.DiagramError` says how
    to install it when it is missing)."""
    if format == "mermaid":
        return to_mermaid(procedure).encode("utf-8")
    if format == "dot":
        return to_dot(procedure).encode("utf-8")
    if format not in FORMATS:
        raise DiagramError(f"unknown diagram format {format!r}; use one of {', '.join(FORMATS)}.")
    dot = shutil.which("dot")
    if dot is None:
        raise DiagramError(
            f"drawing {format} needs Graphviz's 'dot' program, which is not installed. Install "
            "Graphviz (e.g. 'apt-get install graphviz'), or use --format mermaid."
        )
    try:
        result = subprocess.run(
            [dot, f"-T{format}"], input=to_dot(procedure).encode("utf-8"), capture_output=True,
            check=False, timeout=60,
        )  # fmt: skip
    except (OSError, subprocess.TimeoutExpired) as error:
        raise DiagramError(f"Graphviz's dot could not be run: {error}.") from error
    if result.returncode != 0:
        raise DiagramError(
            f"Graphviz could not draw the diagram: {result.stderr.decode(errors='replace')}"
        )
    return result.stdout
