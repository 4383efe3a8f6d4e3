"""Objectives stated in the plan documents themselves: a line such as "TCO 2: Zarvia secures
..." or "8. IMO 2.3: Zarvian forces integrate ..." gives an id, its level (the prefix) and
its statement; the parent of "IMO 2.3" is the objective numbered "2" (e.g. "TCO 2").

A regular expression over the stored chunks, because the ids follow the planners' own
numbering, which no library knows."""

from __future__ import annotations

import re
from collections import Counter, defaultdict

from assistant.features.mapping.models import Objective
from ingest.sentences import split_sentences

# "<paragraph number> PREFIX N[.N]: Statement." at the start of a sentence
DEFINITION = re.compile(r"(?:^|(?<=\s))([A-Z]{2,5}) (\d{1,2}(?:\.\d{1,2})?):\s+(.+)")
MIN_STATEMENT_WORDS = 6


def objectives_from_chunks(texts) -> list[Objective]:
    texts = list(texts)
    statements: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        for sentence in split_sentences(text):
            match = DEFINITION.search(sentence)
            if not match or match.start() > 12:  # the id opens the sentence (after a paragraph number)
                continue
            prefix, number, statement = match.groups()
            statement = statement.strip()
            if len(statement.split()) < MIN_STATEMENT_WORDS or not statement[0].isupper():
                continue
            statements[f"{prefix} {number}"][statement] += 1
    # how often the documents name each id: the campaign's objectives are named throughout,
    # a one-off list ("TO 1: ..." in an exercise report) rarely
    mentions = Counter()
    for text in texts:
        for oid in statements:
            mentions[oid] += len(re.findall(r"(?<![\w.])" + re.escape(oid) + r"(?![\w]|\.\d)", text))
    parents = {}
    for oid in statements:
        prefix, number = oid.split(" ", 1)
        if "." in number:
            parent_number = number.rsplit(".", 1)[0]
            candidates = [o for o in statements if o.split(" ", 1)[1] == parent_number and o.split(" ", 1)[0] != prefix]
            if candidates:
                parents[oid] = max(candidates, key=lambda o: mentions[o])
    # when the documents state a hierarchy, keep only the levels that take part in it
    levels = {o.split(" ", 1)[0] for pair in parents.items() for o in pair}
    objectives = [Objective(id=oid, statement=counts.most_common(1)[0][0], level=oid.split(" ", 1)[0],
                            parent=parents.get(oid, ""))
                  for oid, counts in statements.items() if not levels or oid.split(" ", 1)[0] in levels]
    return sorted(objectives, key=lambda o: _sort_key(o.id))


def _sort_key(oid: str):
    prefix, number = oid.split(" ", 1)
    return ([int(n) for n in number.split(".")], prefix)


def objectives_from_store(store) -> list[Objective]:
    """From a StoreReader (ingest/reader.py): only the documents its profile may see."""
    from ingest.reader import reader_of

    return objectives_from_chunks(reader_of(store).chunk_texts())
