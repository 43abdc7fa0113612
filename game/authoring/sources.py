"""Check a scenario's `source = { para, quote }` citations against the text of the source document.

The document is a text file. Paragraphs marked `¶N` at the start of a line are numbered by their
mark (the shared article.md is written so); otherwise paragraphs are the blocks between blank lines,
numbered from 1. Quotes and paragraphs are compared after folding curly quotes, apostrophes,
dashes, ellipses and runs of whitespace, so a quote typed with straight quotes still matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import attrs

from game.scenario import schema
from game.scenario.lines import find_line, line_map

_MARK = re.compile(r"^\s*¶\s*(\d+)\b\s*(.*)$")
_FOLD = str.maketrans({
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "`": "'", "´": "'",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"', "«": '"', "»": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ",
})


def fold(text: str) -> str:
    """Text with typographic quotes, dashes and spacing made plain, for comparing quotes."""
    text = text.translate(_FOLD).replace("…", "...")
    return re.sub(r"\s+", " ", text).strip()


def read_paragraphs(text: str) -> dict[int, str]:
    """Paragraph number -> paragraph text, from `¶N` marks or else from blank-line-separated blocks."""
    lines = text.splitlines()
    if any(_MARK.match(line) for line in lines):
        paras: dict[int, str] = {}
        current: int | None = None
        for line in lines:
            m = _MARK.match(line)
            if m:
                current = int(m.group(1))
                paras[current] = m.group(2)
            elif current is not None:
                if not line.strip() or line.lstrip().startswith("#"):
                    current = None  # a blank line or a heading ends the paragraph
                else:
                    paras[current] += " " + line
        return paras
    blocks = [b for b in re.split(r"\n\s*\n", text.replace("\r\n", "\n")) if b.strip()]
    return {i: b.strip() for i, b in enumerate(blocks, start=1)}


def iter_sources(obj: object, path: str = "") -> Iterator[tuple[str, schema.Source]]:
    """Every Source in a structured scenario file, with its TOML path (``moves[3].source``)."""
    if isinstance(obj, schema.Source):
        yield path, obj
    elif attrs.has(type(obj)):
        for f in attrs.fields(type(obj)):
            yield from iter_sources(getattr(obj, f.name), f"{path}.{f.name}" if path else f.name)
    elif isinstance(obj, dict):
        for k, v in obj.items():
            yield from iter_sources(v, f"{path}.{k}")
    elif isinstance(obj, list):
        for i, v in enumerate(obj):
            yield from iter_sources(v, f"{path}[{i}]")


@attrs.frozen
class QuoteProblem:
    path: str
    line: int | None
    message: str
    hint: str | None = None


def check_sources(raw: schema.ScenarioFile, document_text: str, scenario_text: str = "",
                  document_name: str = "the document") -> tuple[int, list[QuoteProblem]]:
    """(number of quotes checked, the ones not found in their paragraph)."""
    paras = {n: fold(t) for n, t in read_paragraphs(document_text).items()}
    lines = line_map(scenario_text) if scenario_text else {}
    checked = 0
    problems = []
    for path, src in iter_sources(raw):
        if src.para is None or src.quote is None:
            continue
        checked += 1
        quote = fold(src.quote)
        where = find_line(lines, f"{path}.quote") if lines else None
        if src.para not in paras:
            last = max(paras) if paras else 0
            problems.append(QuoteProblem(path, where, f"{document_name} has no paragraph {src.para} "
                                         f"(it has {len(paras)}, numbered up to {last})",
                                         _found_in(quote, paras)))
            continue
        if quote not in paras[src.para]:
            problems.append(QuoteProblem(path, where, f"quote \"{src.quote}\" is not in paragraph "
                                         f"{src.para} of {document_name}", _found_in(quote, paras)))
    return checked, problems


def _found_in(quote: str, paras: dict[int, str]) -> str | None:
    hits = [n for n, t in paras.items() if quote in t]
    if hits:
        return f"it is in paragraph {hits[0]}: write para = {hits[0]}"
    lower = quote.lower()
    hits = [n for n, t in paras.items() if lower in t.lower()]
    if hits:
        return f"paragraph {hits[0]} has it with different capitals; copy it exactly"
    return "copy the phrase exactly as the document has it"


def load_document(path: str | Path) -> str:
    return Path(path).read_text(encoding="utf-8")
