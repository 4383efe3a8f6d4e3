"""Following a document's own cross-references: which references count, and where the
paragraphs they name land in the list (the store is a stand-in: plumbing only; the real
store is exercised in tests/integration/test_retrieval.py)."""

from assistant.core.cross_references import MAX_FOLLOWED, follow, referenced_sections
from assistant.core.passages import Passage


def passage(doc: str, section: str, text: str) -> Passage:
    return Passage(f"{doc}-{section}", text, {"doc_id": doc, "section": section})


class Store:
    """A stand-in for the StoreReader's paragraph lookup, recording what was asked."""

    def __init__(self, rows: list[Passage]):
        self.rows, self.asked = rows, []

    def paragraph(self, doc, section):
        self.asked.append((doc, section))
        return [(r.chunk_id, r.text, r.metadata) for r in self.rows if r.doc_id == doc and r.section == section]


def test_references_to_paragraphs_not_to_statutes_by_number_alone():
    assert referenced_sections("IMO 3.3 is recorded as a gap in paragraph 4.e.") == ["4.e"]
    assert referenced_sections("given in paragraphs 4.a.(1) through 4.a.(3)") == ["4.a.(1)"]
    assert referenced_sections("See Section C15.2.13. and Section C1.3.") == ["C15.2.13", "C1.3"]
    assert referenced_sections("Section 333 funds and FY2026 figures") == ["333"]  # looked up, found nowhere
    assert referenced_sections("No reference here.") == []


def test_a_missing_paragraph_is_fetched_and_placed_after_the_one_that_names_it():
    detail = passage("z", "4.e", "4.e. Gap: IMO 3.3 has no resourced activity.")
    store = Store([detail])
    ranked = [passage("z", "4", "IMO 3.3 is recorded as a gap in paragraph 4.e."), passage("z", "1", "Scope."),
              passage("z", "5", "Section 333 funds two courses.")]
    out = follow(store, ranked, lambda ids: {i: 0.5 for i in ids})
    assert [p.section for p in out] == ["4", "4.e", "1", "5"]
    assert out[1].dense_score == 0.5 and out[1].extras["referred_from"] == "z-4"
    assert ("z", "333") in store.asked  # looked for, not found, nothing added


def test_a_lower_ranked_paragraph_is_moved_up_not_repeated():
    ranked = [passage("z", "5.a", "A25 is discussed separately in paragraph 5.c."), passage("z", "1", "Scope."),
              passage("y", "5.c", "Another document's 5.c."), *(passage("z", str(n), "Filler.") for n in range(6, 10)),
              passage("z", "5.c", "5.c. A25 is linked to no objective.")]
    store = Store([])
    out = follow(store, ranked, lambda ids: {})
    assert [(p.doc_id, p.section) for p in out][:3] == [("z", "5.a"), ("z", "5.c"), ("z", "1")]
    assert len(out) == len(ranked) and store.asked == []


def test_already_among_the_best_or_too_many():
    ranked = [passage("z", "4", "See paragraph 1 and paragraph 5.c."), passage("z", "1", "Scope.")]
    store = Store([passage("z", "5.c", "5.c."), passage("z", "7", "7."), passage("z", "8", "8.")])
    assert [p.section for p in follow(store, ranked, lambda ids: {})] == ["4", "5.c", "1"]
    many = [passage("z", "4", "See paragraph 5.c, paragraph 7 and paragraph 8.")]
    assert len(follow(store, many, lambda ids: {})) == 1 + MAX_FOLLOWED


def test_known_paragraphs_spare_lookups_for_statutes():
    store = Store([passage("z", "5.c", "5.c.")])
    ranked = [passage("z", "4", "Section 333 funds it; see paragraph 5.c.")]
    out = follow(store, ranked, lambda ids: {}, existing={("z", "4"), ("z", "5.c")})
    assert [p.section for p in out] == ["4", "5.c"] and store.asked == [("z", "5.c")]
