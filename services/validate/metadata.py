"""Check 6: what the report states about a paper (title, authors, venue, year, links) agrees with
the PDF's metadata and first page, and links are described as what they are.

Statements are read from labelled lines (``论文题目：…``, ``作者：…``, ``Title: …``, ``发表于…``).
A stated title is checked by its Latin part (a Chinese rendering of an English title is not
compared); it agrees when it occurs on some PDF's first page or is close to its metadata title.
Each Latin author name agrees when its surname occurs on a first page or in the metadata authors.
A stated year or venue acronym must occur on a first page. A code-hosting link (GitHub, GitLab,
Hugging Face) described as the paper, its official site or 原文链接 is ``metadata.link_kind``.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from services.validate.anchors import Anchor, near_miss, prepare
from shared.citations import strip_citations
from shared.findings import Finding
from shared.sentences import split_sentences
from shared.units import EvidencePack

TITLE = re.compile(r"(?:论文题目|论文标题|论文名称|原文标题|英文标题|题目|标题|\btitle)\s*[:：]\s*(.+)", re.IGNORECASE)
AUTHORS = re.compile(r"(?:作者|\bauthors?)\s*(?:团队|信息|列表)?\s*[:：]\s*(.+)", re.IGNORECASE)
PUBLICATION = re.compile(r"发表|出版|收录|会议|期刊|年份|\bpublished\b|\bvenue\b|\bconference\b|\bproceedings\b", re.I)
YEAR = re.compile(r"(?<!\d)(?:19|20)\d{2}(?!\d)")
VENUES = re.compile(
    r"(?<![A-Za-z])(?:ICLR|NeurIPS|NIPS|ICML|ACL|EMNLP|NAACL|COLING|CVPR|ICCV|ECCV|AAAI|IJCAI|KDD|SIGIR|WWW|TACL|JMLR"
    r"|TPAMI)(?![A-Za-z])"
)
LATIN_RUN = re.compile(r"[A-Za-z][A-Za-z0-9:,'’&()\- ]{8,}[A-Za-z0-9)]")
NAME_SEPARATORS = re.compile(r"\s*(?:[,;，；、]|\band\b|\bet al\.?|等)\s*")
URL = re.compile(r"https?://[^\s\])）>，。；、\"'“”]+", re.IGNORECASE)
CODE_HOSTS = re.compile(r"^https?://(?:www\.)?(?:github\.com|gitlab\.com|huggingface\.co|gitee\.com)/", re.I)
PAPER_WORDS = re.compile(
    r"官网|官方网站|官方主页|项目主页|原文链接|原文地址|论文链接|论文地址|论文原文|论文网址|论文主页"
    r"|\bpaper\s+(?:link|url|page)\b|\bofficial\s+(?:site|website|page|homepage)\b|\boriginal\s+paper\b",
    re.IGNORECASE,
)
CODE_WORDS = re.compile(r"代码|仓库|源码|开源|实现|\bcode\b|\brepo(?:sitory)?\b|\bimplementation\b", re.IGNORECASE)
CLOSE_TITLE = 0.8
LINK_CONTEXT = 40  # characters before a link that describe it


def normal(text: str) -> str:
    return re.sub(r"[\W_]+", " ", text.casefold()).strip()


def first_pages(pack: EvidencePack) -> list[tuple[str, str, list[str]]]:
    """(metadata title, page-1 text with its furniture, metadata authors) of every PDF in the pack."""
    found = []
    for meta in pack.sources:
        if meta.kind != "pdf" or meta.error:
            continue
        page = next((f"{u.text}\n{u.furniture}" for u in pack.units_of(meta.source) if u.index == 1), "")
        found.append((meta.title, page, meta.authors))
    return found


def statement(line: str, pattern: re.Pattern[str]) -> str:
    """The value a labelled line states, without citations and decoration, or ''."""
    match = pattern.search(strip_citations(line))
    return match.group(1).strip(" *_《》“”\"'。.") if match else ""


def title_agrees(stated: str, papers: list[tuple[str, str, list[str]]]) -> bool:
    latin = max(LATIN_RUN.findall(stated), key=len, default="")
    if len(latin.split()) < 3:
        return True
    wanted = normal(latin)
    return any(
        wanted in normal(page) or SequenceMatcher(None, wanted, normal(title)).ratio() >= CLOSE_TITLE
        for title, page, _ in papers
    )


def unknown_authors(stated: str, papers: list[tuple[str, str, list[str]]]) -> list[tuple[str, str]]:
    """(name, near miss) for each stated Latin name whose surname no paper shows."""
    known = " ".join(page[:3000] + " " + " ".join(authors) for _, page, authors in papers)
    evidence = prepare(known)
    unknown = []
    for name in NAME_SEPARATORS.split(stated):
        words = re.findall(r"[A-Za-z][A-Za-z'\-]+", name)
        if not words or len(words) > 4:
            continue
        surname = words[-1].lower()
        if surname not in evidence.words:
            unknown.append((name.strip(), near_miss(Anchor("term", words[-1], surname), evidence)))
    return unknown


def check_metadata(text: str, pack: EvidencePack) -> list[Finding]:
    """``metadata.title`` and ``metadata.authors`` (errors), ``metadata.year`` and ``metadata.venue``
    (warnings) against the PDFs' first pages; ``metadata.link_kind`` (error) for every line. Each
    finding names the sentence that makes the statement."""
    papers = first_pages(pack)
    front = " ".join(page for _, page, _ in papers)
    findings = []
    for line in (sentence for row in text.splitlines() for sentence in split_sentences(row)):
        findings += check_link_kind(line)
        if not papers:
            continue
        title = statement(line, TITLE)
        if title and not title_agrees(title, papers):
            findings.append(mismatch("metadata.title", "error", line, f"The stated title '{title}' is not the paper's title.",
                                     papers[0][0] or papers[0][1][:200], "Copy the title exactly as page 1 of the paper gives it."))
        authors = statement(line, AUTHORS)
        for name, near in unknown_authors(authors, papers) if authors else []:
            hint = f" (possible misspelling of '{near}')" if near else ""
            findings.append(mismatch("metadata.authors", "error", line, f"The author '{name}' is not on the paper's first page{hint}.",
                                     papers[0][1][:300], "List the authors exactly as page 1 of the paper gives them."))
        if PUBLICATION.search(line):
            plain = strip_citations(line)
            for year in sorted(set(YEAR.findall(plain)) - set(YEAR.findall(front))):
                findings.append(mismatch("metadata.year", "warning", line, f"The year {year} does not appear on the paper's first page.",
                                         "", "State the year the paper's first page or its venue gives, or cite where it comes from."))
            for venue in sorted(set(VENUES.findall(plain)) - set(VENUES.findall(front))):
                findings.append(mismatch("metadata.venue", "warning", line, f"The venue {venue} does not appear on the paper's first page.",
                                         "", "State the venue the paper's first page gives, or cite where it comes from."))
    return findings


def check_link_kind(line: str) -> list[Finding]:
    """``metadata.link_kind`` for a code-hosting link described as the paper or its official site."""
    findings = []
    for match in URL.finditer(line):
        before = line[max(0, match.start() - LINK_CONTEXT) : match.start()]
        if CODE_HOSTS.match(match.group(0)) and PAPER_WORDS.search(before) and not CODE_WORDS.search(before):
            findings.append(
                mismatch("metadata.link_kind", "error", line,
                         f"{match.group(0)} is a code repository, but the report presents it as the paper or its official site.",
                         match.group(0), "Label it as the code repository (代码仓库), and link the paper itself (e.g. its arXiv or venue page) as 原文链接.")
            )
    return findings


def mismatch(check: str, severity: str, line: str, message: str, evidence: str, fix: str) -> Finding:
    return Finding(check=check, severity=severity, message=message, sentence=line.strip(), evidence=evidence, fix=fix)
