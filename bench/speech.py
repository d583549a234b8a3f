"""Offline speech-to-text of generated lectures: speed, accuracy, memory and clean joins.

    python -m bench.speech [--minutes 10]

Two lectures are generated: an English and a Chinese one, each about ``--minutes`` long, spoken by
espeak-ng over 1280×720 slides (one slide per group of four sentences). Each is ingested as a
video by a child process twice: with the default speech source (the Whisper base model the ``asr``
extra ships) and, as the baseline, with offline speech-to-text off (``REDLINE_WHISPER_MODEL=off``,
what ingest did before without a subtitle file: slide text only). Prints JSON per lecture: the
real-time factor of the transcription (seconds of work per second of sound), the word error rate
(English) or character error rate (Chinese) of the frame units' speech against the script, the
language used (detected, or the request's — the lecture's — when detection is unsure), run-on sentence joins in every unit, and the peak resident memory of each child.
Processor seconds per second of sound are given beside the wall-clock real-time factor, since
the wall clock depends on what else runs on the machine. Targets on 2 cores: real-time factor ≤ 0.3, English word error rate ≤ 15 %, peak memory ≤ 1.5 GB.
Run-on joins (``units.Speech``) are also counted in every unit of the corpus PDFs, beside the
page text as the extractor gives it (target: 0 in the units). ``--corpus-only`` counts just those.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from services.ingest.audio import media_seconds, read_speech
from services.ingest.endpoints import Endpoints
from services.ingest.frames import detect_slides
from services.ingest.pdf import open_pdf, page_texts, read_pdf
from services.ingest.subtitles import cues_by_window
from services.ingest.video import frame_unit
from shared.sentences import run_ons
from tests.corpus import CORPUS
from tests.services.ingest.media import Slide, cjk_font_path, slideshow, spoken_track

TARGET_RTF = 0.3
TARGET_WER = 0.15
TARGET_RSS_MB = 1536.0
SENTENCES_PER_SLIDE = 4
VOICES = {"en": "en", "zh": "cmn"}

EN_SUBJECTS = ["the encoder", "the decoder", "the attention layer", "the training set", "the language model",
               "the retrieval step", "the reviewer", "the final report", "each citation", "the baseline system"]
EN_VERBS = ["reads", "compares", "improves", "checks", "explains", "summarises", "changes", "measures"]
EN_OBJECTS = ["every source document", "the evidence for each claim", "the quality of the answers",
              "the length of the output", "the order of the sections", "the words in each sentence",
              "the results of the experiment", "the cost of a long report"]
EN_ENDINGS = ["before the next step begins", "when the data is noisy", "across many languages",
              "without any human help", "in a few seconds", "on a small computer", "for every new task",
              "with careful attention to detail"]
EN_OPENINGS = ["In this part of the lecture", "As we saw earlier", "To make this clear", "In practice",
               "For this reason", "After that", "On the other hand", "In most cases"]

ZH_SUBJECTS = ["编码器", "解码器", "注意力机制", "训练数据", "语言模型", "检索模块", "审稿人", "最终报告", "每条引用", "基线系统"]
ZH_VERBS = ["读取", "比较", "改进", "检查", "解释", "总结", "修改", "衡量"]
ZH_OBJECTS = ["每一份原始文档", "每个观点的证据", "答案的质量", "输出的长度", "各个章节的顺序", "句子中的词语", "实验的结果", "长篇报告的成本"]
ZH_ENDINGS = ["然后才进入下一步", "即使数据有噪声", "覆盖多种语言", "不需要人工帮助", "只需要几秒钟", "在一台小电脑上", "对每个新任务都适用", "并且非常注重细节"]
ZH_OPENINGS = ["在这一部分", "正如前面所说", "为了说明这一点", "在实际应用中", "因此", "接下来", "另一方面", "在大多数情况下"]


def english_sentence(rng: random.Random) -> str:
    return (f"{rng.choice(EN_OPENINGS)}, {rng.choice(EN_SUBJECTS)} {rng.choice(EN_VERBS)} "
            f"{rng.choice(EN_OBJECTS)} {rng.choice(EN_ENDINGS)}.")


def chinese_sentence(rng: random.Random) -> str:
    return (f"{rng.choice(ZH_OPENINGS)}，{rng.choice(ZH_SUBJECTS)}{rng.choice(ZH_VERBS)}"
            f"{rng.choice(ZH_OBJECTS)}，{rng.choice(ZH_ENDINGS)}。")


def lecture(language: str, minutes: float) -> tuple[bytes, list[str], float]:
    """A generated lecture video in ``language`` lasting at least ``minutes``: its bytes, the script
    (one string per slide) and its length in seconds."""
    rng = random.Random(7)
    sentence = english_sentence if language == "en" else chinese_sentence
    titles, lines, total = [], [], 0.0
    while total < minutes * 60:
        said = [sentence(rng) for _ in range(SENTENCES_PER_SLIDE)]
        lines.append(" ".join(said) if language == "en" else "".join(said))
        number = len(lines)
        titles.append(f"Part {number}: {said[0].split(',')[1].split()[1]}" if language == "en" else f"第{number}部分")
        total += spoken_track(lines[-1:], VOICES[language])[1][0]
    sound, lengths = spoken_track(lines, VOICES[language])
    deck = [Slide((title,), seconds) for title, seconds in zip(titles, lengths, strict=False)]
    video = slideshow(deck, size=(1280, 720), fps=5, font_path=cjk_font_path(), sound=sound)
    return video, lines, sum(lengths)


def cpu_seconds() -> float:
    """Processor time this process has used so far (user and system)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def measure(path: Path, whisper: str, language: str) -> dict:
    """Ingest the video at ``path`` as ``read_video`` does (slides, speech timed on its own, frame
    units), with this process's peak RSS."""
    data = path.read_bytes()
    endpoints = Endpoints(base_url="", transcribe_model="", whisper_model=whisper)
    slides = detect_slides(data, cap=500)
    started, used = time.perf_counter(), cpu_seconds()
    speech = read_speech(path.name, data, None, endpoints, language)
    heard, worked = time.perf_counter() - started, cpu_seconds() - used
    said = cues_by_window(speech.cues, [(slide.start, slide.end) for slide in slides])
    units = [frame_unit(path.name, slide, cues, "rapidocr") for slide, cues in zip(slides, said, strict=False)]
    return {
        "transcribe_seconds": round(heard, 1),
        "transcribe_cpu_seconds": round(worked, 1),
        "sound_seconds": round(media_seconds(data), 1),
        "language": speech.language,
        "units": len(units),
        "speech": [u.text.split("Speech: ", 1)[1] for u in units if "Speech: " in u.text],
        "run_on_joins": sum(len(run_ons(u.text)) for u in units),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def edit_distance(reference: list[str], hypothesis: list[str]) -> int:
    """The fewest insertions, deletions and substitutions that turn ``hypothesis`` into ``reference``."""
    previous = list(range(len(hypothesis) + 1))
    for i, wanted in enumerate(reference, start=1):
        current = [i]
        for j, got in enumerate(hypothesis, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (wanted != got)))
        previous = current
    return previous[-1]


def tokens(text: str, language: str) -> list[str]:
    """Words (English, lower-case, punctuation removed) or CJK characters (Chinese) of ``text``."""
    if language == "en":
        return re.findall(r"[a-z']+", text.lower().replace("-", " "))
    return re.findall(r"[\u3400-\u9fff]", text)


def error_rate(script: list[str], heard: list[str], language: str) -> float:
    """Word (English) or character (Chinese) error rate of ``heard`` against ``script``."""
    reference = tokens(" ".join(script), language)
    return edit_distance(reference, tokens(" ".join(heard), language)) / len(reference)


def child(path: Path, whisper: str, language: str) -> dict:
    """``measure`` in a fresh process, so its peak memory is that of ingesting this video alone."""
    out = subprocess.run(
        [sys.executable, "-m", "bench.speech", "--measure", str(path), "--whisper", whisper, "--language", language],
        capture_output=True, text=True, check=True, env={**os.environ},
    )
    return json.loads(out.stdout)


def run(language: str, minutes: float, folder: Path) -> dict:
    """Both ingests of the generated lecture in ``language``, with the figures."""
    video, script, seconds = lecture(language, minutes)
    path = folder / f"lecture_{language}.mp4"
    path.write_bytes(video)
    speech, baseline = child(path, "", language), child(path, "off", language)
    rate = error_rate(script, speech["speech"], language)
    return {
        "lecture_seconds": round(seconds, 1),
        "slides": len(script),
        "default_model": {
            "language": speech["language"],
            "real_time_factor": round(speech["transcribe_seconds"] / speech["sound_seconds"], 3),
            "cpu_seconds_per_sound_second": round(speech["transcribe_cpu_seconds"] / speech["sound_seconds"], 3),
            "transcribe_seconds": speech["transcribe_seconds"],
            ("word_error_rate" if language == "en" else "character_error_rate"): round(rate, 3),
            "run_on_joins": speech["run_on_joins"],
            "peak_rss_mb": speech["peak_rss_mb"],
        },
        "baseline_no_speech_to_text": {
            ("word_error_rate" if language == "en" else "character_error_rate"): round(
                error_rate(script, baseline["speech"], language), 3
            ),
            "run_on_joins": baseline["run_on_joins"],
            "peak_rss_mb": baseline["peak_rss_mb"],
        },
    }


def corpus_run_ons() -> dict:
    """Run-on sentence joins in the units ingest makes of every corpus PDF (text and reference
    list), beside the same count in the page text as the extractor gives it; {} without the corpus."""
    found = {}
    for path in sorted((CORPUS / "papers").glob("*.pdf")):
        data = path.read_bytes()
        units, _ = read_pdf(path.name, data)
        raw = [text for text, _ in page_texts(open_pdf(path.name, data), data)]
        found[path.name] = {
            "units": len(units),
            "run_on_joins_in_units": sum(len(run_ons(u.text)) + len(run_ons(u.references)) for u in units),
            "baseline_run_on_joins_in_extracted_text": sum(len(run_ons(text)) for text in raw),
        }
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--language", choices=("en", "zh"), action="append", help="lecture language; the request's too")
    parser.add_argument("--corpus-only", action="store_true", help="only the run-on joins of the corpus PDFs")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--whisper", default="", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.whisper, args.language[0]), ensure_ascii=False))
        return
    results: dict[str, Any] = {"corpus_pdfs": corpus_run_ons()}
    if args.corpus_only:
        print(json.dumps(results, ensure_ascii=False, indent=2))
        return
    results |= {"cpu_count": os.cpu_count(), "load_average_at_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as folder:
        for language in args.language or ["en", "zh"]:
            results[language] = run(language, args.minutes, Path(folder))
    results["targets"] = {"real_time_factor": TARGET_RTF, "english_word_error_rate": TARGET_WER,
                          "peak_rss_mb": TARGET_RSS_MB}
    results["load_average_at_end"] = os.getloadavg()[0]
    print(json.dumps(results, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
