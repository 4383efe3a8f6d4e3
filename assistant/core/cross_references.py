"""Following a document's own cross-references.

Plans point to their own detail: "IMO 3.3 ... is recorded as a gap in paragraph 4.e", "A25 ...
is discussed separately in paragraph 5.c". The overview sentence ranks well for a question and
the paragraph it points to often does not (it words the same fact differently), so a planner
would be answered from the summary and cited to it, not to the paragraph that holds the
detail. Retrieval reads the references in its best passages and adds the paragraphs they
name, each right after the passage that points to it.

No library does this: it depends on the paragraph numbers this product's chunker records.
"""

from __future__ import annotations

import re

from assistant.core.passages import Passage

# "paragraph 4.e", "paragraphs 4.a.(1) through ...", "Section C15.2.13." (the SAMM's style);
# a statute's "section 333" names no paragraph of the document, and finds none
REFERENCE = re.compile(r"\b(?:sub)?(?:paragraphs?|para\.|sections?)\s+(C?\d+(?:\.[a-z]\b|\.\d+\b|\.\(\d+\))*)", re.I)
FOLLOW_FROM = 5  # the references of this many best passages are followed
MAX_FOLLOWED = 2
CHUNKS_PER_PARAGRAPH = 2  # a long paragraph's first chunks: its lead says what it is about


def referenced_sections(text: str) -> list[str]:
    return list(dict.fromkeys(m.group(1).rstrip(".") for m in REFERENCE.finditer(text)))


def follow(store, passages: list[Passage], similarity, existing: set[tuple[str, str]] | None = None) -> list[Passage]:
    """The passages with the paragraphs their best ones refer to placed right after them:
    fetched when retrieval missed them, moved up when it ranked them lower.
    `similarity(chunk_ids)` gives each chunk's closeness to the question, as dense search
    would have: the answerer weighs passages by it. `existing`, when given, holds every
    (doc_id, paragraph) of the store: a reference to any other ("section 333" of a
    statute) costs no lookup."""
    position = {(p.doc_id, p.section): i for i, p in reversed(list(enumerate(passages)))}
    taken = {(p.doc_id, p.section) for p in passages[:FOLLOW_FROM]}  # already among the best
    moves: dict[int, list[int]] = {}  # referrer -> passages found further down
    fetch: list[tuple[int, str, str]] = []  # referrer, document, paragraph retrieval missed
    budget = MAX_FOLLOWED
    for index, passage in enumerate(passages[:FOLLOW_FROM]):
        for section in referenced_sections(passage.text):
            key = (passage.doc_id, section)
            if budget == 0 or key in taken or (existing is not None and key not in existing):
                continue
            taken.add(key)
            budget -= 1
            if key in position:
                moves.setdefault(index, []).append(position[key])
            else:
                fetch.append((index, passage.doc_id, section))
    found: dict[int, list[Passage]] = {i: [passages[j] for j in js] for i, js in moves.items()}
    for index, group in found.items():
        for passage in group:
            passage.extras["referred_from"] = passages[index].chunk_id
    for index, doc_id, section in fetch:
        rows = store.paragraph(doc_id, section)  # a StoreReader: only documents the user may see
        if not rows:
            continue  # a statute's section, or a paragraph this document does not have
        scores = similarity([row[0] for row in rows[:CHUNKS_PER_PARAGRAPH]])
        for chunk_id, text, metadata in rows[:CHUNKS_PER_PARAGRAPH]:
            followed = Passage(chunk_id, text or "", metadata or {}, dense_score=scores.get(chunk_id),
                               score=scores.get(chunk_id) or 0.0)
            followed.extras["referred_from"] = passages[index].chunk_id
            found.setdefault(index, []).append(followed)
    if not found:
        return passages
    moved = {id(p) for group in found.values() for p in group}  # none of them a referrer
    out = []
    for index, passage in enumerate(passages):
        if id(passage) not in moved:
            out.append(passage)
        out += found.get(index, [])
    return out
