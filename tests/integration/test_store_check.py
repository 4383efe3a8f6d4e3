"""`planassist check` finds each kind of damage and `--repair` rebuilds from Chroma."""

import json
import os

from helpers import PLAN_TEXT, planassist, write


def test_check_finds_damage_and_repair_fixes_it(tmp_path, store, embedder):
    from ingest import vector_store
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store_check import check_store

    folder = tmp_path / "docs"
    for n in range(4):
        write(folder / f"plan{n}.txt", PLAN_TEXT.replace("four patrol boats", f"{n + 4} patrol boats"))
    assert not ingest_paths([folder], store, embedder, IngestOptions()).failed
    clean = check_store(store)
    assert clean.ok and clean.documents == 4 and clean.chunks_chroma == clean.chunks_keywords > 0

    docs = {d.source: d for d in store.documents()}
    # 1. keyword rows of one document lost
    db = store.keywords._connect()
    with db:
        db.execute("DELETE FROM chunk_text WHERE doc_id = ?", (docs["plan0.txt"].doc_id,))
    # 2. a chunk of a registered document lost from Chroma
    first = store.document_chunks(docs["plan1.txt"].doc_id)[0][0]
    store.collection.delete(ids=[first])
    # 3. a partial write: some chunks of a new version, never registered
    chunk_id, text, metadata = store.document_chunks(docs["plan2.txt"].doc_id)[0]
    vector_store.add(store.collection, ["partial-1"], [embedder.embed_query(text)], [text],
                     [{**metadata, "doc_id": "f" * 64, "chunk_count": 5}])
    # 4. an orphan keyword row
    with db:
        db.execute("INSERT INTO chunk_text (text, title, section, chunk_id, doc_id) VALUES ('x','t','s','c','gone')")

    report = check_store(store)
    found = report.findings
    assert not report.ok
    assert len(found["missing_in_keywords"]) == 1 and "plan0.txt" in found["missing_in_keywords"][0]
    assert any("plan1.txt" in f for f in found["missing_in_chroma"])
    assert any("plan1.txt" in f for f in found["count_mismatch"])
    assert len(found["partial"]) == 1 and "1 of 5 chunks" in found["partial"][0]
    assert any(f.startswith("gone") for f in found["keyword_orphans"])

    # the command reports the same without fixing it, then repairs
    env = {**os.environ, "PLANASSIST_STORE": str(store.store_dir)}
    result = planassist("check", "--json", env=env)
    assert result.returncode == 1 and json.loads(result.stdout)["findings"]["partial"]
    result = planassist("check", "--repair", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "repaired" in result.stdout and result.stdout.strip().endswith(": ok")
    after = check_store(store)
    assert after.ok
    # plan1 lost a chunk in Chroma (the truth): incomplete, so it is dropped, the rest kept
    assert sorted(d.source for d in store.documents()) == ["plan0.txt", "plan2.txt", "plan3.txt"]
    # and the next ingest brings it back whole
    assert ingest_paths([folder], store, embedder, IngestOptions()).counts()["added"] == 1
    assert check_store(store).ok and len(store.documents()) == 4
