"""``report.html``: the comparison as one self-contained page a person reads in a browser.

The page has a summary strip (support, preservation, length, sentences, rounds), the rounds with
the findings they raised and resolved, and the original and final reports side by side, one aligned
sentence per row: deleted text in ``<del>``, inserted text in ``<ins>``, and the findings that name
a sentence under it. Every citation is a link to an evidence panel (``#ev-N``) that CSS ``:target``
shows: the text of each unit it resolves to (page, chunk, slide...), a video frame's time window,
and the thumbnail a frame or image carries as an inline ``data:`` image. Inline CSS only: no scripts,
no external fonts or URLs.
"""

from __future__ import annotations

import html
import re
from difflib import SequenceMatcher

from services.compare.evidence_links import EvidenceEntry, EvidenceIndex
from services.compare.final_html import CSP_META, FONT_STACK
from services.compare.markdown_blocks import HEADING
from services.compare.report_md import percent
from services.compare.summary import Comparison, SentenceRow
from shared.citations import CitationGroup, find_citations
from shared.findings import Finding
from shared.units import Unit

TOKEN = re.compile(r"[^\W_]+(?:['’.-][^\W_]+)*|\s+|.", re.DOTALL)
"""Diff tokens: a word or number (a run of letters — CJK text is split per character below), a
whitespace run, or one other character."""
QUOTE_LIMIT = 40
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")

LABELS = {
    "zh": {
        "title": "修订对比",
        "original": "原稿",
        "final": "终稿",
        "supported": "引用句获支持",
        "preservation": "保留率",
        "zi": "字数",
        "characters": "字符",
        "sentences": "句子",
        "rounds": "校验轮次",
        "stop": "结束原因",
        "kept": "保留",
        "edited": "修改",
        "added": "新增",
        "removed": "删除",
        "recited": "改引",
        "raised": "新发现",
        "resolved": "已解决",
        "open": "仍存在",
        "version": "版本",
        "verdict": "结论",
        "errors": "错误",
        "warnings": "警告",
        "whole_before": "原稿整体问题",
        "whole_after": "终稿整体问题",
        "rules": "口径说明",
        "unresolved": "该引用未指向任何证据单元。",
        "more": "另有 {n} 个单元未显示。",
        "no_thumbnail": "证据包中暂无该帧的缩略图",
        "close": "关闭",
        "none": "无",
    },
    "en": {
        "title": "What changed",
        "original": "Original",
        "final": "Final",
        "supported": "Cited sentences supported",
        "preservation": "Preservation",
        "zi": "字数",
        "characters": "Characters",
        "sentences": "Sentences",
        "rounds": "Validation rounds",
        "stop": "Stop reason",
        "kept": "kept",
        "edited": "edited",
        "added": "added",
        "removed": "removed",
        "recited": "re-cited",
        "raised": "raised",
        "resolved": "resolved",
        "open": "still open",
        "version": "Version",
        "verdict": "Verdict",
        "errors": "Errors",
        "warnings": "Warnings",
        "whole_before": "Findings on the whole original",
        "whole_after": "Findings on the whole final",
        "rules": "Definitions",
        "unresolved": "This citation points at no evidence unit.",
        "more": "{n} more units are not shown.",
        "no_thumbnail": "No thumbnail of this frame in the evidence pack",
        "close": "Close",
        "none": "none",
    },
}

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
.cell .h {{ font-weight: 700; font-size: 1.05rem; }}
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
.thumb.missing {{ color: #57606a; font-size: .8rem; border: 1px dashed #d0d7de; padding: .5rem; }}
"""


def labels_for(language: str) -> dict[str, str]:
    return LABELS["en" if language.startswith("en") else "zh"]


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


class Renderer:
    """Renders one comparison; keeps the evidence entries its citations open."""

    def __init__(self, comparison: Comparison, units: list[Unit]) -> None:
        self.comparison = comparison
        self.text = labels_for(comparison.language)
        self.evidence = EvidenceIndex(units)
        self.remaining = {f.key for r in comparison.sentences for f in r.findings_after}
        self.remaining |= {f.key for f in comparison.unplaced_after}

    def citation_html(self, group: CitationGroup) -> str:
        """The bracket as written, each citation part a link to its evidence entry."""
        pieces, position = [], 0
        for raw in dict.fromkeys(c.raw for c in group.citations):
            start = group.raw.find(raw, position)
            if start < 0:
                continue
            entry = self.evidence.entry(raw, [c for c in group.citations if c.raw == raw])
            pieces.append(html.escape(group.raw[position:start]))
            pieces.append(f'<a class="cite" href="#{entry.anchor}">{html.escape(raw)}</a>')
            position = start + len(raw)
        pieces.append(html.escape(group.raw[position:]))
        return "".join(pieces)

    def tokens_html(self, pieces: list[tuple[str, CitationGroup | None]]) -> str:
        return "".join(self.citation_html(group) if group else html.escape(text) for text, group in pieces)

    def sides_html(self, row: SentenceRow) -> tuple[str, str]:
        """The original and final sentence of a row, changes marked."""
        before = tokens(HEADING.sub(r"\2", row.original.text)) if row.original else []
        after = tokens(HEADING.sub(r"\2", row.final.text)) if row.final else []
        if row.status == "kept" and not row.recited:
            return self.tokens_html(before), self.tokens_html(after)
        left, right = [], []
        matcher = SequenceMatcher(None, [t for t, _ in before], [t for t, _ in after], autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            old, new = self.tokens_html(before[i1:i2]), self.tokens_html(after[j1:j2])
            left.append(old if tag == "equal" or not old else f"<del>{old}</del>")
            right.append(new if tag == "equal" or not new else f"<ins>{new}</ins>")
        return "".join(left), "".join(right)

    def findings_html(self, findings: list[Finding], before: bool) -> str:
        """The findings that name a sentence; on the original side, each marked resolved or open."""
        items = []
        for f in findings:
            state = ("open" if f.key in self.remaining else "resolved") if before else ""
            badge = f'<span class="badge">{self.text[state]}</span>' if state else ""
            fix = f" — {html.escape(f.fix)}" if f.fix else ""
            items.append(
                f'<li class="{f.severity} {state}">{badge}<code>{html.escape(f.check)}</code> '
                f"{html.escape(f.message)}{fix}</li>"
            )
        return f'<ul class="findings">{"".join(items)}</ul>' if items else ""

    def row_html(self, row: SentenceRow, breaks: bool) -> str:
        left, right = self.sides_html(row)
        cells = []
        for side, sentence, body, findings, before in (
            ("original", row.original, left, row.findings_before, True),
            ("final", row.final, right, row.findings_after, False),
        ):
            if sentence is None:
                cells.append(f'<div class="cell {side}"></div>')
                continue
            heading = ' class="h"' if HEADING.match(sentence.text) else ""
            anchor = f"{side[0]}-{sentence.index}"
            cells.append(
                f'<div class="cell {side}" id="{anchor}"><div{heading}>{body}</div>'
                f"{self.findings_html(findings, before)}</div>"
            )
        status = "recited" if row.status == "kept" and row.recited else row.status
        classes = " ".join(["row", "columns", status] + (["break"] if breaks else []))
        return f'<div class="{classes}">{"".join(cells)}</div>'

    def rows_html(self) -> str:
        """Every aligned row; a row that starts a paragraph on either side gets space above it."""
        rows, last = [], {"original": None, "final": None}
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
        rounds = self.comparison.rounds
        raised = sum(len(r.raised) for r in rounds)
        resolved = sum(len(r.resolved) for r in rounds)
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
            self.stat_html("zi", t["zi"], f"{b.zi} → {a.zi}"),
            self.stat_html("characters", t["characters"], f"{b.characters} → {a.characters}"),
            self.stat_html(
                "sentences",
                t["sentences"],
                f"{b.sentences} → {a.sentences}",
                f"{t['kept']} {n.kept} · {t['edited']} {n.edited} · {t['added']} {n.added} · "
                f"{t['removed']} {n.removed} · {t['recited']} {n.recited}",
            ),
            self.stat_html(
                "rounds", t["rounds"], str(len(rounds)), f"{t['raised']} {raised} · {t['resolved']} {resolved}"
            ),
        ]
        return f'<section class="summary">{"".join(stats)}</section>'

    def rounds_html(self) -> str:
        t = self.text
        head = (
            f"<tr><th>#</th><th>{t['version']}</th><th>{t['verdict']}</th><th>{t['errors']}</th>"
            f"<th>{t['warnings']}</th><th>{t['raised']}</th><th>{t['resolved']}</th></tr>"
        )
        body = []
        for number, change in enumerate(self.comparison.rounds, 1):
            lists = [
                "".join(round_finding_html(f) for f in found) or t["none"] for found in (change.raised, change.resolved)
            ]
            note = f"<br><small>{html.escape(change.note)}</small>" if change.note else ""
            body.append(
                f"<tr><td>{number}</td><td>v{change.report_version}</td><td>{html.escape(change.verdict)}{note}</td>"
                f"<td>{change.errors}</td><td>{change.warnings}</td><td>{lists[0]}</td><td>{lists[1]}</td></tr>"
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

    def unit_html(self, unit: Unit) -> str:
        where = " · ".join(filter(None, [unit.source, unit.title, unit.address, unit.method]))
        timing = f'<p class="where">{time_window(unit)}</p>' if unit.start is not None else ""
        thumbnail = thumbnail_html(unit, self.text["no_thumbnail"])
        return (
            f'<div class="unit"><p class="where">{html.escape(where)}</p>{timing}{thumbnail}'
            f'<div class="text">{html.escape(unit.text)}</div></div>'
        )

    def entry_html(self, entry: EvidenceEntry) -> str:
        t = self.text
        body = "".join(self.unit_html(u) for u in entry.units) or f"<p>{t['unresolved']}</p>"
        more = f'<p class="where">{t["more"].format(n=entry.more)}</p>' if entry.more else ""
        return (
            f'<section class="evidence" id="{entry.anchor}"><a class="close" href="#_" title="{t["close"]}">×</a>'
            f"<h3>[{html.escape(entry.label)}]</h3>{body}{more}</section>"
        )

    def page(self) -> str:
        c, t = self.comparison, self.text
        rows = self.rows_html()
        evidence = "\n".join(self.entry_html(e) for e in self.evidence.entries.values())
        legend = "".join(
            f'<span class="row {s}">{t[s]}</span>' for s in ("kept", "edited", "added", "removed", "recited")
        )
        rules = (
            f'<details class="rules"><summary>{t["rules"]}</summary><p>{html.escape(c.support_rule)}</p>'
            f"<p>{html.escape(c.preservation_rule)}</p><p>{html.escape(c.length_convention)}</p></details>"
        )
        return (
            f'<!doctype html>\n<html lang="{"en" if c.language.startswith("en") else "zh-CN"}">\n<head>\n'
            f'<meta charset="utf-8">\n{CSP_META}<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{t['title']} · {html.escape(c.task_id)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<main>\n"
            f'<h1>{t["title"]}</h1><p class="task">{html.escape(c.task_id)} · v1 → v{c.accepted_version}</p>\n'
            f"{self.summary_html()}\n"
            f'<p class="stop" data-stat="stop_reason"><b>{t["stop"]}:</b> {html.escape(c.stop_reason)}</p>{rules}\n'
            f"<h2>{t['rounds']}</h2>{self.rounds_html()}\n"
            f'<h2>{t["original"]} / {t["final"]}</h2><div class="legend">{legend}</div>\n'
            f'<section class="compare"><div class="columns head"><h2>{t["original"]}</h2><h2>{t["final"]}</h2></div>\n'
            f"{rows}\n</section>\n{self.unplaced_html()}\n</main>\n{evidence}\n</body>\n</html>\n"
        )


def round_finding_html(finding: Finding) -> str:
    """A finding in the rounds table: check, message and the start of the sentence it names."""
    quote = finding.sentence if len(finding.sentence) <= QUOTE_LIMIT else finding.sentence[:QUOTE_LIMIT] + "…"
    where = f'<br><small class="quote">{html.escape(quote)}</small>' if quote else ""
    return f"<div><code>{html.escape(finding.check)}</code> {html.escape(finding.message)}{where}</div>"


def time_window(unit: Unit) -> str:
    """``01:05–01:12`` for a unit's time window."""

    def clock(seconds: float) -> str:
        whole = int(seconds)
        return (
            f"{whole // 3600}:{whole // 60 % 60:02d}:{whole % 60:02d}"
            if whole >= 3600
            else f"{whole // 60:02d}:{whole % 60:02d}"
        )

    return clock(unit.start) + (f"–{clock(unit.end)}" if unit.end is not None else "")


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
