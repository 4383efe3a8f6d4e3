"""Expand a question's acronyms and long forms both ways, from the glossary the ingestion
built out of the documents themselves ("Foreign Military Financing (FMF)")."""

from __future__ import annotations

import re
from collections import defaultdict


class Glossary:
    def __init__(self, entries: list[tuple[str, str, int]]):
        """entries: (acronym, expansion, documents defining it), as the keyword index keeps them."""
        by_acronym: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for acronym, expansion, count in entries:
            by_acronym[acronym].append((count, expansion))
        self.long_forms = {a: [e for _, e in sorted(v, key=lambda x: -x[0])] for a, v in by_acronym.items()}
        self.acronym_of = {}
        for acronym, forms in self.long_forms.items():
            for form in forms:
                self.acronym_of.setdefault(form.lower(), acronym)

    @classmethod
    def from_store(cls, reader) -> "Glossary":
        """From a StoreReader: only the documents it lets its user see define acronyms."""
        return cls(reader.glossary())

    def expansions(self, question: str) -> list[str]:
        """Phrases to search besides the question: long forms of its acronyms and acronyms
        of its long forms."""
        found: list[str] = []
        for token in re.findall(r"\b[A-Z][A-Za-z0-9&]{1,10}\b", question):
            base = token[:-1] if token.endswith("s") and token[:-1] in self.long_forms else token
            if base in self.long_forms:
                found.append(self.long_forms[base][0])
        lowered = " ".join(question.lower().replace(",", " ").split())
        for form, acronym in self.acronym_of.items():
            if len(form) > 6 and form in lowered and not re.search(rf"\b{re.escape(acronym)}\b", question):
                found.append(acronym)
        return list(dict.fromkeys(found))

    def expand(self, question: str) -> str:
        extra = self.expansions(question)
        return f"{question} ({'; '.join(extra)})" if extra else question
