"""Remove running headers and footers: lines that open or close most pages.

Page numbers and dates vary from page to page, so lines are compared with their digits
masked ("Page 3 of 12" and "Page 4 of 12" are the same running line).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ingest.records import Page

EDGE_LINES = 3  # how many lines at the top and bottom of a page can be running lines
MIN_SHARE = 0.5  # a line counts as running when it is on at least half the pages


# "ENCLOSURE 2" repeated at the foot of each page of an enclosure is also the line that opens
# it: kept, so that the chunker knows where the enclosure starts (it skips the repeats).
_STRUCTURE = re.compile(r"^(enclosure|annex|appendix|attachment|tab) [#a-z]{1,3}$")


def _key(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.lower().split()))


def _edges(lines: list[str]) -> list[int]:
    indices = [i for i, line in enumerate(lines) if line.strip()]
    k = min(EDGE_LINES, max(1, len(indices) // 4))  # a short page's middle is its body
    return sorted(set(indices[:k] + indices[-k:]))


def strip_running_lines(pages: list[Page]) -> list[Page]:
    if len(pages) < 3:
        return list(pages)
    split = [page.text.splitlines() for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_key(lines[i]) for i in _edges(lines)})
    running = {key for key, n in counts.items() if key and n >= max(3, MIN_SHARE * len(pages))
               and not _STRUCTURE.match(key)}
    if not running:
        return list(pages)
    cleaned = []
    for page, lines in zip(pages, split):
        drop = {i for i in _edges(lines) if _key(lines[i]) in running}
        cleaned.append(replace(page, text="\n".join(l for i, l in enumerate(lines) if i not in drop)))
    return cleaned
