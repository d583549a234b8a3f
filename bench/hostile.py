"""Hostile task folders, each built by code, and what ingest must make of each.

Every case writes one task folder: the hostile file (or folder shape) and, unless the case is
about a folder with nothing usable, a normal ``notes.md`` beside it, so the task goes on and the
hostile file gets its reason as a finding (a skipped file or a source error). ``judge`` says
whether an ingest result is what the case expects; ``run_ingest`` reads a folder as the ingest
service does; ``run_on_bus`` submits every case as its own task, at once and beside a normal task,
to an ingest replica on a real nats-server. ``python -m bench.hostile`` prints that table.
"""

from __future__ import annotations

import argparse
import asyncio
import io
import json
import os
import re
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from fpdf import FPDF
from pypdf import PdfReader, PdfWriter

from redline.client import submit
from redline.example import write_example
from redline.folder import collect_files
from services.ingest import app as ingest_app
from services.ingest.errors import SourceError
from services.ingest.limits import MB, IngestLimits
from services.ingest.settings import Settings as IngestSettings
from services.ingest.sources import ingest_files
from shared.bus import Bus
from shared.embedded import EmbeddedNats
from shared.events import Event, EvidenceReady, TaskFailed
from shared.logging import configure_logging
from shared.service import start_consumer
from shared.settings import NatsSettings
from shared.units import SourceMeta

NOTES = "# Notes\n\nThe survey covers 1200 questions. The verifier threshold is 0.62.\n"
OUTSIDE = "/etc/passwd"
"""A system file a link in a task folder points to; its content must never become a unit."""


@dataclass(frozen=True)
class Case:
    """One hostile input: how to build its folder, and the outcome ingest must give it:
    ``failed`` (the task fails with ``reason``), ``finding`` (the task goes on; the hostile file is
    skipped or fails alone with ``reason``) or ``read`` (the file is read; ``reason`` is matched
    against its units' method). The files named in ``reads`` must give units whatever the outcome."""

    name: str
    what: str
    build: Callable[[Path], None]
    outcome: str
    reason: str
    reads: tuple[str, ...] = ("notes.md",)


@dataclass(frozen=True)
class Verdict:
    """What ingest made of a case, and whether it is the expected outcome."""

    case: str
    outcome: str
    detail: str
    ok: bool
    seconds: float = 0.0


def text_pdf(pages: list[str]) -> bytes:
    """A PDF with one page of text per item of ``pages``."""
    pdf = FPDF()
    pdf.set_font("Helvetica", size=12)
    for text in pages:
        pdf.add_page()
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def blank_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` blank pages (no text layer: each would need OCR)."""
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def figure_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` pages each holding only a drawn figure (no text layer: each is OCR-read)."""
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.rect(20, 20, 100, 60, style="F")
    return bytes(pdf.output())


def encrypted_pdf() -> bytes:
    """A one-page PDF that needs a password."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(text_pdf(["Hidden text."]))))
    writer.encrypt(user_password="secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def zip_of(members: dict[str, bytes]) -> bytes:
    """A deflated zip of ``members`` (names written as given, ``../`` and ``/`` included)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def zip_bomb(members: int = 2, member_mb: int = 500) -> bytes:
    """A small zip of ``members`` files of ``member_mb`` MB of zeros each (each under the file size
    limit), written a megabyte at a time."""
    out = io.BytesIO()
    zero = bytes(MB)
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for number in range(1, members + 1):
            with archive.open(f"part{number}.txt", "w", force_zip64=True) as member:
                for _ in range(member_mb):
                    member.write(zero)
    return out.getvalue()


def tar_gz_of(members: dict[str, bytes]) -> bytes:
    """A gzipped tar of ``members``."""
    out = io.BytesIO()
    with tarfile.open(fileobj=out, mode="w:gz") as archive:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return out.getvalue()


def with_notes(write: Callable[[Path], None]) -> Callable[[Path], None]:
    """A builder that writes ``notes.md`` and then what ``write`` writes."""

    def build(folder: Path) -> None:
        (folder / "notes.md").write_text(NOTES, encoding="utf-8")
        write(folder)

    return build


def named(entries: dict[str, bytes | Callable[[], bytes]]) -> Callable[[Path], None]:
    """A builder writing each of ``entries`` (file name → bytes, or a function making them)."""

    def build(folder: Path) -> None:
        for name, data in entries.items():
            (folder / name).write_bytes(data() if callable(data) else data)

    return build


def links_out(folder: Path) -> None:
    """A link to a system file and a link to the system folder that holds it."""
    os.symlink(OUTSIDE, folder / "passwd.txt")
    os.symlink(os.path.dirname(OUTSIDE), folder / "system")


def nothing(folder: Path) -> None:
    """An empty task folder."""


def cases(bomb_mb: int = 500, pages: int = 3000, big_json_mb: int = 200) -> list[Case]:
    """Every hostile case. ``bomb_mb`` (size of each zip-bomb member), ``pages`` (of the long blank
    PDF) and ``big_json_mb`` make a quicker set for CI; the defaults are the sizes of the report."""
    good = text_pdf(["The benchmark has 1200 questions."])
    limit_pages = IngestLimits().max_pages
    return [
        Case("zip-traversal", "zip with ../ and absolute member paths",
             with_notes(named({"sources.zip": lambda: zip_of({"../escape.md": b"# out", "/tmp/abs.md": b"# abs",
                                                               "inside.md": b"# In\n\nKept."})})),
             "finding", r"'\.\.' is not allowed.*absolute paths are not allowed|absolute paths are not allowed.*'\.\.'"),
        Case("zip-bomb", f"zip of two {bomb_mb} MB members of zeros",
             with_notes(named({"bomb.zip": lambda: zip_bomb(2, bomb_mb)})),
             "finding", r"zip bomb.*REDLINE_INGEST_MAX_ARCHIVE_RATIO"),
        Case("nested-archive", "zip holding a zip and a tar.gz",
             with_notes(named({"outer.zip": lambda: zip_of({"inner.zip": zip_of({"a.md": b"# A"}),
                                                             "inner.tar.gz": tar_gz_of({"b.md": b"# B"})})})),
             "finding", r"archives inside archives are not unpacked"),
        Case("symlink-out", f"links in the folder to {OUTSIDE} and its folder",
             with_notes(links_out), "read", r"^markdown/"),
        Case("pdf-empty", "zero-byte PDF", with_notes(named({"empty.pdf": b""})), "finding", r"empty \(0 bytes\)"),
        Case("pdf-truncated", "PDF cut to a third", with_notes(named({"cut.pdf": good[: len(good) // 3]})),
             "finding", r"not a readable PDF"),
        Case("pdf-encrypted", "PDF with a password", with_notes(named({"locked.pdf": encrypted_pdf})),
             "finding", r"encrypted"),
        Case("pdf-pages", f"{pages}-page blank PDF", with_notes(named({"blank.pdf": lambda: blank_pdf(pages)})),
             "finding", rf"page count {pages} is over the limit of {limit_pages} pages.*REDLINE_INGEST_MAX_PAGES"
             if pages > limit_pages else r"no text|OCR"),
        Case("gbk-text", "GBK text without BOM",
             named({"gbk.txt": ("这是一份用国标编码保存的中文笔记。" * 20).encode("gbk")}), "read", r"gb", ("gbk.txt",)),
        Case("utf16-text", "UTF-16 text without BOM",
             named({"wide.txt": ("Notes saved as UTF-16 without a byte-order mark.\n" * 20).encode("utf-16-le")}),
             "read", r"utf-16", ("wide.txt",)),
        Case("json-malformed", "long_context.json that is not JSON",
             with_notes(named({"long_context.json": b'[{"title": "a", "page_body": '})), "finding", r"not readable JSON"),
        Case("json-wrong-type", "long_context.json holding numbers",
             with_notes(named({"long_context.json": b"[1, 2, 3]"})), "finding", r"not a JSON list of web pages"),
        Case("json-huge", f"long_context.json of {big_json_mb} MB",
             named({"long_context.json": lambda: big_webpages(big_json_mb)}), "read", r"chunk", ("long_context.json",)),
        Case("odd-names", "file names with spaces, a newline and Chinese",
             named({"my notes.md": NOTES.encode(), "line\nbreak.md": NOTES.encode(), "中文笔记.md": NOTES.encode()}),
             "finding", r"control characters", ("my notes.md", "中文笔记.md")),
        Case("empty-folder", "an empty folder", nothing, "failed", r"No usable source: no files were given", ()),
        Case("only-unsupported", "only files ingest does not read",
             named({"tool.exe": b"MZ\x90\x00", "data.bin": b"\x00\x01"}), "failed", r"No usable source:.*\.bin files are not read", ()),
    ]


def big_webpages(megabytes: int) -> bytes:
    """A ``long_context.json`` of about ``megabytes`` MB: pages of 1 MB of sentences (200 MB in 200
    pages, within the page limit)."""
    body = "Retrieved pages repeat this sentence about grounded writing. " * 16_000
    count = max(1, megabytes * MB // len(body))
    return json.dumps([{"title": f"Page {n}", "url": f"https://example.org/{n}", "page_body": body}
                       for n in range(count)]).encode()


def build(case: Case, root: Path) -> Path:
    """The case's task folder, made fresh under ``root``."""
    folder = root / case.name
    folder.mkdir(parents=True)
    case.build(folder)
    return folder


@dataclass(frozen=True)
class Result:
    """What ingest made of a task folder: the task's failure reason ('' when it went on), the
    sources' metadata, the files skipped with reasons, and the units' texts (when known: an
    ``evidence.ready`` event carries no texts)."""

    failure: str = ""
    sources: list[SourceMeta] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)


def run_ingest(folder: Path, limits: IngestLimits | None = None) -> Result:
    """``folder`` read as the ingest service reads it."""
    try:
        pack = ingest_files(collect_files(folder), folder.name, limits=limits, cache=None)
    except SourceError as exc:
        return Result(failure=str(exc))
    return Result(sources=pack.sources, skipped=pack.skipped, texts=[unit.text for unit in pack.units])


def result_of(event: EvidenceReady | TaskFailed) -> Result:
    """What an ingest event says: the sources of ``evidence.ready``, or the reason of ``task.failed``."""
    if isinstance(event, TaskFailed):
        return Result(failure=event.reason)
    return Result(sources=event.sources, skipped=event.skipped)


def judge(case: Case, result: Result) -> Verdict:
    """Whether ``result`` is what ``case`` expects; a source or unit from the linked system file is
    never right."""
    if result.failure:
        ok = case.outcome == "failed" and re.search(case.reason, result.failure, re.S) is not None
        return Verdict(case.name, "failed", result.failure, ok)
    read = {meta.source: meta for meta in result.sources if meta.units and not meta.error}
    leaked = any(name.startswith(("passwd", "system")) for name in read) or any("root:x:0:0" in t for t in result.texts)
    missing = sorted(set(case.reads) - set(read))
    if missing:
        return Verdict(case.name, "missing", f"no units from {missing}", False)
    if case.outcome == "read":
        methods = " ".join(sorted({meta.method for meta in read.values()}))
        ok = not leaked and re.search(case.reason, methods) is not None
        return Verdict(case.name, "read", f"{sum(meta.units for meta in read.values())} units, {methods}", ok)
    reasons = "; ".join(result.skipped + [meta.error for meta in result.sources if meta.error])
    ok = case.outcome == "finding" and not leaked and re.search(case.reason, reasons, re.S) is not None
    return Verdict(case.name, "finding", reasons or "no finding", ok)


async def run_on_bus(nats: NatsSettings, chosen: list[Case], root: Path, timeout: float = 600.0) -> list[Verdict]:
    """Every case built under ``root`` and submitted as its own task at once, beside the example
    task, to one ingest replica on ``nats``; each judged by the event ingest published for it. The
    example task must give ``evidence.ready`` (its verdict comes last)."""
    folders = {case.name: build(case, root) for case in chosen}
    example = write_example(root / "example")
    client = await Bus.connect(nats, source="/bench")
    service = await Bus.connect(nats, source="/services/ingest")
    consumer = await start_consumer(service, ingest_app, IngestSettings())
    ended: dict[str, tuple[Result, float]] = {}
    done = asyncio.Event()
    started = time.perf_counter()

    async def receive(msg) -> None:
        data = Event.model_validate_json(msg.data).payload()
        if not isinstance(data, EvidenceReady | TaskFailed):
            return
        ended.setdefault(data.task_id, (result_of(data), time.perf_counter() - started))
        if len(ended) == len(folders) + 1:
            done.set()

    for subject in (EvidenceReady.event_type(), TaskFailed.event_type()):
        await client.nc.subscribe(subject, cb=receive)
    try:
        for name, folder in [*folders.items(), ("example", example)]:
            await submit(client, name, collect_files(folder), "Summarise the sources.")
        await asyncio.wait_for(done.wait(), timeout)
    finally:
        await consumer.stop()
        await service.close()
        await client.close()
    verdicts = [replace(judge(case, ended[case.name][0]), seconds=ended[case.name][1]) for case in chosen]
    beside, seconds = ended["example"]
    ok = not beside.failure and bool(beside.sources)
    return [*verdicts, Verdict("example", "read" if ok else "failed", beside.failure or "evidence ready", ok, seconds)]


def table(verdicts: list[Verdict], inputs: dict[str, str]) -> list[str]:
    """The verdicts as Markdown table lines."""
    lines = ["| case | input | outcome | reason | seconds | as expected |", "|---|---|---|---|---|---|"]
    for verdict in verdicts:
        detail = verdict.detail.replace("\n", "\\n").replace("|", "/")[:160]
        lines.append(f"| {verdict.case} | {inputs.get(verdict.case, 'the example task, beside them')} | {verdict.outcome} "
                     f"| {detail} | {verdict.seconds:.1f} | {'yes' if verdict.ok else 'NO'} |")
    return lines


async def run_all(chosen: list[Case], root: Path) -> list[Verdict]:
    """``run_on_bus`` on an embedded nats-server."""
    async with EmbeddedNats() as server:
        return await run_on_bus(NatsSettings(url=server.url), chosen, root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller bomb, PDF and JSON (as in CI)")
    args = parser.parse_args()
    configure_logging("WARNING")
    chosen = cases(40, 2100, 20) if args.quick else cases()
    with tempfile.TemporaryDirectory() as root:
        verdicts = asyncio.run(run_all(chosen, Path(root)))
    print("\n".join(table(verdicts, {case.name: case.what for case in chosen})))


if __name__ == "__main__":
    main()
