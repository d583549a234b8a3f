"""PDFs read from several threads at once (ingest reads several tasks at once) never crash the process."""

from __future__ import annotations

import subprocess
import sys

READ_AT_ONCE = """
from concurrent.futures import ThreadPoolExecutor
from services.ingest.pdf import read_pdf
from tests.services.ingest.fixtures import text_pdf

data = text_pdf([f"Page {n}. " + "Attention weighs every position of the sequence. " * 20 for n in range(4)])
with ThreadPoolExecutor(4) as pool:
    pages = set(pool.map(lambda _: len(read_pdf("paper.pdf", data)[0]), range(400)))
print(pages)
"""


def test_pdfs_read_in_four_threads_at_once_leave_the_process_alive():
    done = subprocess.run([sys.executable, "-c", READ_AT_ONCE], capture_output=True, text=True, timeout=300)

    assert (done.returncode, done.stdout.strip()) == (0, "{4}"), done.stderr[-500:]
