"""What a paper's first page says about the paper: where it appeared, who wrote it from where, and
the links it gives.

All three are read from the raw text of page 1 (lines as the PDF lays them out) and, for links,
from page 1's link annotations. They are best efforts: an empty answer means the page did not say
it in a form recognised here, never a guess.
"""

from __future__ import annotations

import re

from pypdf import PageObject

CONFERENCE = re.compile(
    r"\d+(?:st|nd|rd|th)\s+(?:Annual\s+)?(?:Conference|Meeting|Workshop|Symposium)\s+[^\n()]{5,120}\([A-Za-z\- ]+\d{4}\)"
)
PROCEEDINGS = re.compile(r"(?:Proceedings of|Published as a conference paper at|Accepted (?:at|to))\s+[^\n]{3,100}")
JOURNAL_LINE = re.compile(r"^[^\n]{3,80}?,\s*(?:19|20)\d{2},\s*\d+\(\d+\)[^\n]{0,40}", re.MULTILINE)
ARXIV = re.compile(r"arXiv:\s?\d{4}\.\d{4,5}(?:v\d+)?(?:\s*\[[a-zA-Z.\-]+\])?")
AFFILIATION_WORDS = re.compile(
    r"\b(?:University|Universit[éàä]|Institute|Institut|Laboratory|Lab|College|School|Department|Academy|Inc\.?"
    r"|Research|Brain|DeepMind|Microsoft|Google|Meta|OpenAI|Alibaba|Tencent|Baidu|ByteDance)\b"
    r"|大学|学院|研究院|研究所|实验室|研究中心|公司"
)
ABSTRACT = re.compile(r"^\s*(?:Abstract|ABSTRACT|摘\s*要)\b", re.MULTILINE)
NOTICE = re.compile(r"permission|copyright|licen[cs]e|©|rights reserved|grants?\b", re.IGNORECASE)
MAX_AFFILIATION_WORDS = 10
EMAIL = re.compile(r"\S+@\S+")
URL = re.compile(r"https?://[\w\-]+(?:\.[\w\-]+)+(?:/[^\s<>\"'）)\]，。；]*[^\s<>\"'）)\]，。；.,;:])?")
DOI = re.compile(r"(?<![\w/.])10\.\d{4,9}/[^\s\"'<>，。；]+[^\s\"'<>，。；.,;:)]")
MAX_AFFILIATIONS = 8


def venue(first_page: str) -> str:
    """Where the paper appeared, as page 1 states it: a numbered conference with its acronym and
    year, a "Proceedings of …" or "Published as a conference paper at …" line, a journal header
    line ("Name, 2024, 13(3), …"), else its arXiv identifier; '' when none is there."""
    for pattern in (CONFERENCE, PROCEEDINGS, JOURNAL_LINE, ARXIV):
        found = pattern.search(first_page)
        if found:
            return re.sub(r"\s+", " ", found.group()).strip(" ,.")
    return ""


def affiliations(first_page: str) -> list[str]:
    """The short lines above the abstract that name an institution (not a licence notice or a
    link), e-mail addresses removed, each once, in page order (at most eight)."""
    head = first_page[: m.start()] if (m := ABSTRACT.search(first_page)) else first_page[:1500]
    found: list[str] = []
    for line in head.splitlines():
        line = re.sub(r"\s+", " ", EMAIL.sub("", line)).strip(" ,;∗*†‡")
        if not AFFILIATION_WORDS.search(line) or NOTICE.search(line) or URL.search(line) or line in found:
            continue
        if len(line.split()) <= MAX_AFFILIATION_WORDS and len(line) <= 120:
            found.append(line)
    return found[:MAX_AFFILIATIONS]


def links(first_page: str, page: PageObject | None = None) -> list[str]:
    """The web addresses page 1 gives: its link annotations, then the URLs and DOIs in its text
    (a DOI as https://doi.org/…), each once, in that order."""
    found = annotation_uris(page) if page is not None else []
    found += URL.findall(first_page)
    found += [f"https://doi.org/{doi}" for doi in DOI.findall(first_page)]
    return list(dict.fromkeys(found))


def annotation_uris(page: PageObject) -> list[str]:
    """The targets of the page's URI link annotations."""
    uris = []
    for annotation in page.get("/Annots") or []:
        action = annotation.get_object().get("/A")
        uri = action.get_object().get("/URI") if action is not None else None
        if uri:
            uris.append(str(uri))
    return uris
