"""``report.html``: the comparison as one self-contained page a person reads in a browser.

First the numbers (support, preservation, errors before and after, length, sentences) and the stop
reason, then the original and final reports side by side, one aligned sentence per row: deleted text
in ``<del>``, inserted text in ``<ins>``, headings and list items rendered from their Markdown
(markdown-it), and under each sentence the findings that name it, each problem once (with ×N when
it was found several times). Then the findings on the reports as a whole, and the rounds as a table
of counts whose raised and resolved findings open on demand (``<details>``). Every citation is a
link to an evidence panel (``#ev-N``) that CSS ``:target`` shows: the text of each unit it resolves
to with the passage closest to the citing sentence quoted first and marked in place, a video frame's time window, and the
thumbnail a frame or image carries as an inline ``data:`` image. Labels and findings are in the
request's language (``services.compare.messages``). Inline CSS only: no scripts, no external fonts
or URLs.
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

from markdown_it import MarkdownIt

from services.compare.evidence_links import EvidenceEntry, EvidenceIndex
from services.compare.final_html import CSP_META, FONT_STACK
from services.compare.messages import finding_text, labels_for, loop_text
from services.compare.report_md import percent
from services.compare.rounds import grouped
from services.compare.summary import Comparison, SentenceRow
from shared.citations import CitationGroup, find_citations
from shared.findings import Finding
from shared.units import Unit

TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*|\s+|.", re.DOTALL)
"""Diff tokens: a word or number (a run of letters — CJK text is split per character below), a
whitespace run, or one other character."""
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
TABLE_SEPARATOR = re.compile(r"^\s*\|?[\s:|-]+\|?\s*$")
MARKDOWN = MarkdownIt("commonmark", {"html": False})
PLACEHOLDER = "\ue000{}\ue001"

QUOTE_LIMIT = 40

STYLE = f"""
* {{ box-sizing: border-box; }}
body {{ font-family: {FONT_STACK}; margin: 0; color: #1f2328; background: #f6f8fa; line-height: 1.7;
  font-size: 15px; }}
main {{ max-width: 1320px; margin: 0 auto; padding: 1.25rem 1.5rem 4rem; }}
h1 {{ font-size: 1.45rem; margin: .25rem 0 .25rem; }}
h2 {{ font-size: 1.15rem; margin: 1.75rem 0 .6rem; }}
.task {{ color: #57606a; margin: 0 0 1rem; }}
.summary {{ display: grid; grid-template-columns: repeat(auto-fit, minmax(12.5rem, 1fr)); gap: .6rem; }}
.stat {{ background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: .6rem .85rem; }}
.stat .name {{ display: block; color: #57606a; font-size: .8rem; }}
.stat .value {{ display: block; font-size: 1.2rem; font-weight: 600; white-space: nowrap; }}
.stat .detail {{ display: block; color: #57606a; font-size: .8rem; }}
.stop {{ margin: .75rem 0 0; padding: .5rem .85rem; background: #fff; border-left: 4px solid #8250df;
  border-radius: 4px; }}
details.rules {{ margin: .75rem 0 0; color: #57606a; font-size: .85rem; }}
table.rounds {{ border-collapse: collapse; background: #fff; width: 100%; font-size: .9rem; }}
table.rounds th, table.rounds td {{ border: 1px solid #d0d7de; padding: .35rem .6rem; text-align: left;
  vertical-align: top; }}
table.rounds th {{ white-space: nowrap; background: #f6f8fa; }}
table.rounds .quote {{ color: #57606a; }}
table.rounds td > div + div {{ margin-top: .3rem; }}
.legend {{ display: flex; gap: 1rem; flex-wrap: wrap; font-size: .85rem; margin: 0 0 .5rem; }}
.legend span {{ padding: 0 .5rem; border-left: 4px solid #d0d7de; }}
.compare {{ background: #fff; border: 1px solid #d0d7de; border-radius: 8px; }}
.columns {{ display: grid; grid-template-columns: 1fr 1fr; }}
.columns.head {{ position: sticky; top: 0; background: #fff; border-bottom: 1px solid #d0d7de;
  border-radius: 8px 8px 0 0; z-index: 1; }}
.columns.head h2 {{ margin: 0; padding: .55rem 1rem; font-size: 1rem; }}
.row {{ border-left: 4px solid transparent; }}
.row.break {{ margin-top: .9rem; }}
.row.edited {{ border-left-color: #bf8700; }}
.row.added {{ border-left-color: #1a7f37; }}
.row.removed {{ border-left-color: #cf222e; }}
.row.recited {{ border-left-color: #0969da; }}
.cell {{ padding: .1rem 1rem; min-width: 0; overflow-wrap: anywhere; }}
.cell.original {{ border-right: 1px solid #eaeef2; }}
.row.edited .cell, .row.recited .cell {{ background: #fffbeb; }}
.row.added .cell.final {{ background: #f0fff4; }}
.row.removed .cell.original {{ background: #fff5f5; }}
del {{ background: #ffd7d5; color: #82071e; text-decoration: line-through; }}
ins {{ background: #ccffd8; color: #055d20; text-decoration: underline; }}
a.cite {{ color: #0969da; font-size: .82em; text-decoration: none; }}
a.cite:hover {{ text-decoration: underline; }}
ul.findings {{ list-style: none; margin: .15rem 0 .45rem; padding: 0; font-size: .82rem; }}
ul.findings li {{ margin: .15rem 0; padding: .15rem .5rem; border-radius: 4px; background: #fff8c5; }}
ul.findings li.error {{ background: #ffebe9; }}
ul.findings li.resolved {{ background: #dafbe1; }}
ul.findings code, table.rounds code {{ font-size: .95em; }}
.badge {{ font-weight: 600; margin-right: .35rem; }}
.evidence {{ display: none; }}
.evidence:target {{ display: block; position: fixed; top: 1rem; right: 1rem; max-height: calc(100vh - 2rem);
  width: min(34rem, 92vw); overflow: auto; background: #fff; border: 1px solid #8c959f; border-radius: 8px;
  box-shadow: 0 8px 24px rgba(31, 35, 40, .25); padding: .75rem 1rem 1rem; z-index: 2; }}
.evidence h3 {{ font-size: .95rem; margin: 0 2rem .5rem 0; overflow-wrap: anywhere; }}
.evidence .close {{ position: absolute; top: .4rem; right: .75rem; text-decoration: none; font-size: 1.3rem;
  color: #57606a; }}
.unit {{ border-top: 1px solid #eaeef2; padding-top: .5rem; margin-top: .5rem; }}
.unit .where {{ color: #57606a; font-size: .82rem; margin: 0; }}
.unit .text {{ white-space: pre-wrap; font-size: .9rem; margin: .35rem 0 0; }}
.thumb {{ display: block; margin: .35rem 0; max-width: 100%; border: 1px solid #d0d7de; }}
.cell .h1, .cell .h2, .cell .h3, .cell .h4, .cell .h5, .cell .h6 {{ font-weight: 700; }}
.cell .h1 {{ font-size: 1.2rem; }}
.cell .h2 {{ font-size: 1.08rem; }}
.cell .li {{ padding-left: 1.4rem; text-indent: -1rem; }}
.cell .li .marker {{ display: inline-block; min-width: 1rem; text-indent: 0; color: #57606a; }}
.cell .tr {{ font-family: ui-monospace, monospace; font-size: .85rem; }}
.unit mark {{ background: #fff3b0; padding: 0 .1rem; }}
.unit blockquote.best {{ margin: .4rem 0; padding: .3rem .6rem; border-left: 4px solid #d4a72c; background: #fff8c5;
  font-size: .9rem; }}
.evidence .claim {{ font-size: .85rem; color: #57606a; margin: 0 0 .4rem; }}
table.rounds details summary {{ cursor: pointer; }}
.count {{ color: #57606a; font-weight: 600; margin-left: .35rem; }}
.thumb.missing {{ color: #57606a; font-size: .8rem; border: 1px dashed #d0d7de; padding: .5rem; }}
"""


def tokens(text: str) -> list[tuple[str, CitationGroup | None]]:
    """``text`` as diff tokens: each citation group is one token; CJK characters one each."""
    pieces: list[tuple[str, CitationGroup | None]] = []
    position = 0
    for group in [*find_citations(text), None]:
        end = group.start if group else len(text)
        for token in TOKEN.findall(text[position:end]):
            pieces += [(c, None) for c in token] if CJK.search(token) else [(token, None)]
        if group:
            pieces.append((group.raw, group))
            position = group.end
    return pieces


def block_of(text: str) -> tuple[str, str, str]:
    """(kind, marker, body) of a sentence read as Markdown: kind ``h1``…``h6`` for a heading, ``li``
    for a list item (marker ``•`` or its number), ``tr`` for a table row, ``sep`` for a table's
    separator row, else ``p``; body is the text without the block's own syntax."""
    if TABLE_ROW.match(text):
        return ("sep", "", "") if TABLE_SEPARATOR.match(text) else ("tr", "", text.strip())
    parsed = MARKDOWN.parse(text)
    first = parsed[0] if parsed else None
    content = next((t.content for t in parsed if t.type == "inline"), text)
    if first is not None and first.type == "heading_open":
        return first.tag, "", content
    if first is not None and first.type in ("bullet_list_open", "ordered_list_open"):
        marker = "•" if first.type == "bullet_list_open" else f"{first.attrGet('start') or 1}."
        return "li", marker, content
    return "p", "", text


class Renderer:
    """Renders one comparison; keeps the evidence entries its citations open."""

    def __init__(self, comparison: Comparison, units: list[Unit]) -> None:
        self.comparison = comparison
        self.language = comparison.language
        self.text = labels_for(comparison.language)
        self.evidence = EvidenceIndex(units)
        self.remaining = {f.key for r in comparison.sentences for f in r.findings_after}
        self.remaining |= {f.key for f in comparison.unplaced_after}
        self.claim = ""

    def citation_html(self, group: CitationGroup) -> str:
        """The bracket as written, each citation part a link to its evidence entry for this sentence."""
        pieces, position = [], 0
        for raw in dict.fromkeys(c.raw for c in group.citations):
            start = group.raw.find(raw, position)
            if start < 0:
                continue
            entry = self.evidence.entry(raw, [c for c in group.citations if c.raw == raw], self.claim)
            pieces.append(html.escape(group.raw[position:start]))
            pieces.append(f'<a class="cite" href="#{entry.anchor}">{html.escape(raw)}</a>')
            position = start + len(raw)
        pieces.append(html.escape(group.raw[position:]))
        return "".join(pieces)

    def tokens_html(self, pieces: list[tuple[str, CitationGroup | None]]) -> str:
        """Text tokens rendered as inline Markdown (escaped), citation tokens as links."""
        groups = [group for _, group in pieces if group]
        text = "".join(PLACEHOLDER.format(groups.index(g)) if g else t for t, g in pieces)
        rendered = MARKDOWN.renderInline(text) if text.strip() else html.escape(text)
        for number, group in enumerate(groups):
            rendered = rendered.replace(PLACEHOLDER.format(number), self.citation_html(group), 1)
        return rendered

    def sides_html(self, row: SentenceRow) -> tuple[tuple[str, str, str], tuple[str, str, str]]:
        """(kind, marker, html) of the original and final sentence of a row, changes marked."""
        blocks = [block_of(s.text) if s else ("p", "", "") for s in (row.original, row.final)]
        texts = [(row.original.text if row.original else ""), (row.final.text if row.final else "")]
        before, after = tokens(blocks[0][2]), tokens(blocks[1][2])
        if row.status == "kept" and not row.recited:
            self.claim = texts[0]
            left = self.tokens_html(before)
            self.claim = texts[1]
            return (*blocks[0][:2], left), (*blocks[1][:2], self.tokens_html(after))
        lefts: list[str] = []
        rights: list[str] = []
        matcher = SequenceMatcher(None, [t for t, _ in before], [t for t, _ in after], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            self.claim = texts[0]
            old = self.tokens_html(before[i1:i2])
            self.claim = texts[1]
            new = self.tokens_html(after[j1:j2])
            lefts.append(old if tag == "equal" or not old else f"<del>{old}</del>")
            rights.append(new if tag == "equal" or not new else f"<ins>{new}</ins>")
        return (*blocks[0][:2], "".join(lefts)), (*blocks[1][:2], "".join(rights))

    def findings_html(self, findings: list[Finding], before: bool) -> str:
        """The findings that name a sentence, each problem once with how often it was found; on the
        original side each is marked resolved or still open."""
        groups: dict[tuple, list[Finding]] = {}
        for f in findings:
            groups.setdefault((f.check, f.severity, finding_text(f, self.language)), []).append(f)
        items = []
        for (check, severity, said), found in groups.items():
            state = ("open" if any(f.key in self.remaining for f in found) else "resolved") if before else ""
            badge = f'<span class="badge">{self.text[state]}</span>' if state else ""
            times = f'<span class="count">{self.text["times"].format(n=len(found))}</span>' if len(found) > 1 else ""
            fix = found[0].fix if self.language.startswith("en") else ""
            fix_html = f" — {html.escape(fix)}" if fix else ""
            items.append(
                f'<li class="{severity} {state}">{badge}<code>{html.escape(check)}</code> '
                f"{html.escape(said)}{fix_html}{times}</li>"
            )
        return f'<ul class="findings">{"".join(items)}</ul>' if items else ""

    def row_html(self, row: SentenceRow, breaks: bool) -> str:
        sides = self.sides_html(row)
        cells = []
        for side, sentence, (kind, marker, body), findings, before in (
            ("original", row.original, sides[0], row.findings_before, True),
            ("final", row.final, sides[1], row.findings_after, False),
        ):
            if sentence is None or kind == "sep":
                cells.append(f'<div class="cell {side}"></div>')
                continue
            mark = f'<span class="marker">{html.escape(marker)}</span> ' if marker else ""
            anchor = f"{side[0]}-{sentence.index}"
            cells.append(
                f'<div class="cell {side}" id="{anchor}"><div class="{kind}">{mark}{body}</div>'
                f"{self.findings_html(findings, before)}</div>"
            )
        status = "recited" if row.status == "kept" and row.recited else row.status
        classes = " ".join(["row", "columns", status] + (["break"] if breaks else []))
        return f'<div class="{classes}">{"".join(cells)}</div>'

    def rows_html(self) -> str:
        """Every aligned row; a row that starts a paragraph on either side gets space above it."""
        rows: list[str] = []
        last: dict[str, int | None] = {"original": None, "final": None}
        for row in self.comparison.sentences:
            breaks = False
            for side, sentence in (("original", row.original), ("final", row.final)):
                if sentence is not None:
                    breaks |= last[side] is not None and sentence.paragraph != last[side]
                    last[side] = sentence.paragraph
            rows.append(self.row_html(row, breaks))
        return "\n".join(rows)

    def stat_html(self, key: str, name: str, value: str, detail: str = "") -> str:
        detail_html = f'<span class="detail">{html.escape(detail)}</span>' if detail else ""
        return (
            f'<div class="stat" data-stat="{key}"><span class="name">{html.escape(name)}</span>'
            f'<span class="value">{html.escape(value)}</span>{detail_html}</div>'
        )

    def summary_html(self) -> str:
        n, t = self.comparison.numbers, self.text
        b, a = n.before, n.after
        stats = [
            self.stat_html(
                "supported",
                t["supported"],
                f"{percent(b.supported_share)} → {percent(a.supported_share)}",
                f"{b.supported}/{b.cited} → {a.supported}/{a.cited}",
            ),
            self.stat_html(
                "preservation", t["preservation"], percent(n.preservation), f"{n.preserved}/{n.preservable}"
            ),
            self.stat_html(
                "errors",
                t["errors_line"],
                f"{n.errors_before} → {n.remaining}",
                f"{t['resolved']} {n.resolved} · {t['remaining']} {n.remaining}",
            ),
            self.stat_html("zi", t["zi"], f"{b.zi} → {a.zi}", f"{t['characters']} {b.characters} → {a.characters}"),
            self.stat_html(
                "sentences",
                t["sentences"],
                f"{b.sentences} → {a.sentences}",
                f"{t['kept']} {n.kept} · {t['edited']} {n.edited} · {t['added']} {n.added} · "
                f"{t['removed']} {n.removed} · {t['recited']} {n.recited}",
            ),
            self.stat_html(
                "rounds", t["rounds"], str(len(self.comparison.rounds)), f"v1 → v{self.comparison.accepted_version}"
            ),
        ]
        return f'<section class="summary">{"".join(stats)}</section>'

    def round_list_html(self, findings: list[Finding]) -> str:
        """A count that opens the list of its findings (``<details>``)."""
        if not findings:
            return "0"
        items = "".join(round_finding_html(f, n, self.language) for f, n in grouped(findings))
        return f"<details><summary>{len(findings)}</summary>{items}</details>"

    def rounds_html(self) -> str:
        t = self.text
        head = (
            f"<tr><th>#</th><th>{t['version']}</th><th>{t['verdict']}</th><th>{t['errors']}</th>"
            f"<th>{t['warnings']}</th><th>{t['raised']}</th><th>{t['resolved']}</th></tr>"
        )
        body = []
        for number, change in enumerate(self.comparison.rounds, 1):
            verdict = t["verdicts"].get(change.verdict, change.verdict)
            note = f"<br><small>{html.escape(loop_text(change.note, self.language))}</small>" if change.note else ""
            body.append(
                f"<tr><td>{number}</td><td>v{change.report_version}</td><td>{html.escape(verdict)}{note}</td>"
                f"<td>{change.errors}</td><td>{change.warnings}</td><td>{self.round_list_html(change.raised)}</td>"
                f"<td>{self.round_list_html(change.resolved)}</td></tr>"
            )
        return f'<table class="rounds"><thead>{head}</thead><tbody>{"".join(body)}</tbody></table>'

    def unplaced_html(self) -> str:
        parts = []
        for key, findings, before in (
            ("whole_before", self.comparison.unplaced_before, True),
            ("whole_after", self.comparison.unplaced_after, False),
        ):
            if findings:
                parts.append(f"<h2>{self.text[key]}</h2>{self.findings_html(findings, before)}")
        return "".join(parts)

    def unit_html(self, unit: Unit, passage: tuple[int, int] | None) -> str:
        where = " · ".join(filter(None, [unit.source, unit.title, unit.address, unit.method]))
        timing = f'<p class="where">{time_window(unit)}</p>' if unit.start is not None else ""
        thumbnail = thumbnail_html(unit, self.text["no_thumbnail"])
        best = ""
        if passage:
            start, end = passage
            best = f'<blockquote class="best">{html.escape(unit.text[start:end])}</blockquote>'
            text = (
                f"{html.escape(unit.text[:start])}<mark>{html.escape(unit.text[start:end])}</mark>"
                f"{html.escape(unit.text[end:])}"
            )
        else:
            text = html.escape(unit.text)
        return (
            f'<div class="unit"><p class="where">{html.escape(where)}</p>{timing}{thumbnail}{best}'
            f'<div class="text">{text}</div></div>'
        )

    def entry_html(self, entry: EvidenceEntry) -> str:
        t = self.text
        body = "".join(self.unit_html(u, p) for u, p in zip(entry.units, entry.passages, strict=False))
        body = body or f"<p>{t['unresolved']}</p>"
        more = f'<p class="where">{t["more"].format(n=entry.more)}</p>' if entry.more else ""
        claim = f'<p class="claim">{t["claim"]}: {html.escape(entry.claim)}</p>' if entry.claim else ""
        return (
            f'<section class="evidence" id="{entry.anchor}"><a class="close" href="#_" title="{t["close"]}">×</a>'
            f"<h3>[{html.escape(entry.label)}]</h3>{claim}{body}{more}</section>"
        )

    def definitions_html(self) -> str:
        c, t = self.comparison, self.text
        definitions = t["definitions"] or c.definitions
        items = "".join(f"<p>{html.escape(text)}</p>" for text in definitions.values())
        return (
            f'<details class="rules"><summary>{t["rules"]}</summary>{items}'
            f"<p>{html.escape(c.length_convention)}</p></details>"
        )

    def page(self) -> str:
        c, t = self.comparison, self.text
        rows = self.rows_html()
        evidence = "\n".join(self.entry_html(e) for e in self.evidence.entries.values())
        legend = "".join(
            f'<span class="row {s}">{t[s]}</span>' for s in ("kept", "edited", "added", "removed", "recited")
        )
        return (
            f'<!doctype html>\n<html lang="{"en" if c.language.startswith("en") else "zh-CN"}">\n<head>\n'
            f'<meta charset="utf-8">\n{CSP_META}<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{t['title']} · {html.escape(c.task_id)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            f'<h1>{t["title"]}</h1><p class="task">{html.escape(c.task_id)} · v1 → v{c.accepted_version}</p>\n'
            f"{self.summary_html()}\n"
            f'<p class="stop" data-stat="stop_reason"><b>{t["stop"]}:</b> {html.escape(loop_text(c.stop_reason, c.language))}</p>'
            f"{self.definitions_html()}\n"
            f'<h2>{t["original"]} / {t["final"]}</h2><div class="legend">{legend}</div>\n'
            f'<section class="compare"><div class="columns head"><h2>{t["original"]}</h2><h2>{t["final"]}</h2></div>\n'
            f"{rows}\n</section>\n{self.unplaced_html()}\n"
            f"<h2>{t['rounds']}</h2>{self.rounds_html()}\n</main>\n{evidence}\n</body>\n</html>\n"
        )


def round_finding_html(finding: Finding, times: int, language: str) -> str:
    """A finding in the rounds table: check, what it says, how often, and the start of the sentence it
    names."""
    quote = finding.sentence if len(finding.sentence) <= QUOTE_LIMIT else finding.sentence[:QUOTE_LIMIT] + "…"
    where = f'<br><small class="quote">{html.escape(quote)}</small>' if quote else ""
    said = html.escape(finding_text(finding, language))
    count = f'<span class="count">×{times}</span>' if times > 1 else ""
    return f"<div><code>{html.escape(finding.check)}</code> {said}{count}{where}</div>"


def time_window(unit: Unit) -> str:
    """``01:05–01:12`` for a unit's time window (``00:00`` for a unit without one)."""

    def clock(seconds: float) -> str:
        whole = int(seconds)
        return (
            f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
            if whole >= 3600
            else f"{whole // 60:02d}:{whole % 60:02d}"
        )

    return clock(unit.start or 0.0) + (f"–{clock(unit.end)}" if unit.end is not None else "")


def thumbnail_html(unit: Unit, missing: str) -> str:
    """The unit's thumbnail as an inline data-URI image; for a frame without one, a note that marks
    its place."""
    if unit.thumbnail:
        alt = html.escape(f"{unit.source} {unit.address}")
        return f'<img class="thumb" alt="{alt}" src="data:image/jpeg;base64,{unit.thumbnail}">'
    if unit.kind == "frame":
        return f'<div class="thumb missing" data-frame="{unit.index}">{html.escape(missing)}</div>'
    return ""


def render_report_html(comparison: Comparison, units: list[Unit]) -> str:
    """The complete ``report.html`` of a comparison, with evidence from ``units``."""
    return Renderer(comparison, units).page()
