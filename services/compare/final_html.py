"""``final.html``: the accepted report as one self-contained HTML page, for requests that ask for HTML.

The report's Markdown is read with ``markdown_blocks`` and written as headings, tables, lists and
paragraphs (a paragraph's lines joined with ``<br>``); ``**bold**`` becomes ``<strong>`` and every
citation stays as written, in a ``cite`` span.
"""

from __future__ import annotations

import html

from services.compare.markdown_blocks import Block, read_blocks, read_spans

FONT_STACK = (
    'system-ui, -apple-system, "Segoe UI", "PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", '
    '"Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei", Roboto, "Helvetica Neue", Arial, sans-serif'
)
STYLE = f"""
body {{ font-family: {FONT_STACK}; line-height: 1.75; color: #1f2328; max-width: 46rem;
  margin: 2rem auto; padding: 0 1.25rem; }}
h1, h2, h3 {{ line-height: 1.35; }}
table {{ border-collapse: collapse; margin: 1rem 0; }}
th, td {{ border: 1px solid #d0d7de; padding: .35rem .6rem; vertical-align: top; }}
.cite {{ color: #57606a; font-size: .85em; }}
"""
CSP_META = (
    '<meta http-equiv="Content-Security-Policy" '
    "content=\"default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'\">\n"
)
"""Every page forbids scripts (and any network fetch) whatever its text holds: inline CSS and data-URI images only."""
SPAN_TAGS = {"text": ("", ""), "bold": ("<strong>", "</strong>"), "cite": ('<span class="cite">', "</span>")}


def inline_html(text: str) -> str:
    """Escaped text with ``**bold**`` as ``<strong>`` and citations in ``<span class="cite">``."""
    return "".join(SPAN_TAGS[kind][0] + html.escape(piece) + SPAN_TAGS[kind][1] for kind, piece in read_spans(text))


def block_html(block: Block) -> str:
    """One block as HTML."""
    if block.kind == "heading":
        return f"<h{block.level}>{inline_html(block.lines[0])}</h{block.level}>"
    if block.kind == "table":
        head, *body = block.rows
        header = "".join(f"<th>{inline_html(c)}</th>" for c in head)
        rows = "".join("<tr>" + "".join(f"<td>{inline_html(c)}</td>" for c in row) + "</tr>" for row in body)
        return f"<table><thead><tr>{header}</tr></thead><tbody>{rows}</tbody></table>"
    if block.kind in ("list", "ordered"):
        tag = "ol" if block.kind == "ordered" else "ul"
        return f"<{tag}>" + "".join(f"<li>{inline_html(item)}</li>" for item in block.lines) + f"</{tag}>"
    return "<p>" + "<br>".join(inline_html(line) for line in block.lines) + "</p>"


def render_final_html(text: str, title: str, lang: str) -> str:
    """A complete page holding the report ``text``; inline CSS only, no scripts or external resources
    (a Content-Security-Policy forbids them)."""
    html_lang = "en" if lang.startswith("en") else "zh-CN"
    body = "\n".join(block_html(block) for block in read_blocks(text))
    return (
        f'<!doctype html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n{CSP_META}'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n"
    )
