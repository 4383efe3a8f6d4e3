"""Bad input everywhere a user can type or point the command line, as tables: each case gets
one clear message (or is handled as the user meant), no traceback, no hang beyond the stated
limit, nothing written outside the store. Corrupt, encrypted, empty and mislabelled files are
in test_bad_input.py; uploads and the activities CSV belong to the app and mapping commands."""

import os
import subprocess
import sys
import time
import zipfile

import pytest

from helpers import PLAN_TEXT, make_docx, write

LIMIT_SECONDS = 300  # the whole batch below, on a loaded 2-core machine; alone it takes about 30 s


def blank_pdf(path, pages):
    """One blank page object referenced `pages` times: a 10,000-page PDF in 60 KB."""
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{' '.join(['3 0 R'] * pages)}] /Count {pages} >>".encode(),
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] >>"]
    out, offsets = bytearray(b"%PDF-1.7\n"), []
    for n, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    path.write_bytes(bytes(out))
    return path


def zip_bomb_docx(path):
    """A real DOCX carrying 400 MB of zeros (about 400 KB on disk)."""
    make_docx(path, [("p", "hello")])
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/media/pad.bin", "w", force_zip64=True) as handle:
            block = b"\0" * (1 << 20)
            for _ in range(400):
                handle.write(block)
    return path


def variant(n):
    return PLAN_TEXT.replace("900 sailors", f"{900 + n} sailors")


# (case, file name in the batch folder or None, expected line in the ingest output or a
# status of the file in the store)
FILE_CASES = [
    ("odd characters", "plan one (final) ü 計画.txt", ("stored", None)),
    ("shell characters", "it's \"quoted\"; rm -rf ~.txt", ("stored", None)),
    ("newline in name", "line\nbreak.txt", ("stored", None)),
    ("leading dash", "-rf.txt", ("stored", None)),
    ("240-character name", "x" * 240 + ".txt", ("stored", None)),
    ("name not UTF-8", os.fsdecode(b"latin\xe9name.txt"),
     ("line", "failed ../batch/latin\\udce9name.txt: the file name is not valid UTF-8; rename the file")),
    ("duplicate under another name", "sub/copy_b.txt", ("line", None)),  # unchanged: same content
    # not followed: a link out of the folder given is no part of it (need-to-know: /etc/passwd)
    ("symlink to a file outside", "link_out.txt",
     ("line", "skipped ../batch/link_out.txt: a symbolic link to a file outside the folder given")),
    ("DOCX zip bomb", "bomb.docx",
     ("line", "failed ../batch/bomb.docx: refused: it would expand to 401 MB from")),
    ("PDF of 10,000 blank pages", "blank10k.pdf",
     ("line", "failed ../batch/blank10k.pdf: no extractable text (a scanned or image-only document")),
]


def snapshot(root, skip):
    return {str(p): (p.stat().st_size, p.stat().st_mtime_ns) for p in root.rglob("*")
            if skip not in p.parents and p != skip and not p.is_symlink()}


@pytest.fixture(scope="module")
def batch_run(tmp_path_factory):
    root = tmp_path_factory.mktemp("bad-names")
    folder = root / "batch"
    for n, name in enumerate(["plan one (final) ü 計画.txt", "it's \"quoted\"; rm -rf ~.txt", "line\nbreak.txt",
                              "-rf.txt", "x" * 240 + ".txt", os.fsdecode(b"latin\xe9name.txt")]):
        write(folder / name, variant(n))
    write(folder / "copy_a.txt", variant(10))
    write(folder / "sub" / "copy_b.txt", variant(10))
    write(root / "outside.txt", variant(11))
    os.symlink(root / "outside.txt", folder / "link_out.txt")
    os.symlink(folder, folder / "sub" / "loop")  # a folder loop must not hang the walk
    zip_bomb_docx(folder / "bomb.docx")
    blank_pdf(folder / "blank10k.pdf", 10_000)
    store, cwd = root / "store", root / "cwd"
    cwd.mkdir()
    before = snapshot(root, store)
    env = {**os.environ, "PLANASSIST_STORE": str(store)}
    started = time.monotonic()
    # `..` inside a path and an absolute path, besides the folder
    result = subprocess.run([sys.executable, "-m", "assistant.frontends.cli", "ingest", "../batch",
                             "../batch/sub/../copy_a.txt", str(root / "outside.txt")],
                            capture_output=True, text=True, cwd=cwd, env=env, timeout=LIMIT_SECONDS,
                            errors="backslashreplace")
    seconds = time.monotonic() - started
    listed = subprocess.run([sys.executable, "-m", "assistant.frontends.cli", "docs", "--json"], capture_output=True,
                            text=True, cwd=cwd, env=env, timeout=120)
    import json

    return {"result": result, "seconds": seconds, "before": before, "after": snapshot(root, store),
            "docs": json.loads(listed.stdout), "root": root}


def test_batch_ends_cleanly(batch_run):
    result = batch_run["result"]
    assert result.returncode == 1  # some files failed, and said so
    assert "Traceback" not in result.stdout + result.stderr
    assert result.stdout.startswith("added 7, replaced 0"), result.stdout
    assert "unchanged 2" in result.stdout and "skipped 1" in result.stdout and "failed 3" in result.stdout
    # nothing written outside the store: not beside the documents, not in the working folder
    assert batch_run["after"] == batch_run["before"]
    assert list((batch_run["root"] / "cwd").iterdir()) == []


@pytest.mark.parametrize("case, name, expected", FILE_CASES, ids=[c[0] for c in FILE_CASES])
def test_each_file_case(batch_run, case, name, expected):
    kind, line = expected
    stdout = batch_run["result"].stdout
    paths = {d["path"] for d in batch_run["docs"]}
    folder = batch_run["root"] / "batch"
    if kind == "stored":
        assert str(folder / name) in paths, (case, sorted(paths))
    elif line:
        assert any(l.startswith(line) for l in stdout.splitlines()), (case, stdout)
        assert str(folder / name) not in paths
    else:  # a second path to content already stored: kept once
        assert str(folder / name) not in paths
    assert not any(".." in p for p in paths)  # stored paths are resolved


def test_pdf_of_10000_blank_pages_is_read_within_its_limit(tmp_path):
    """Each worker opens the PDF once and ranges are capped, so a huge page count costs
    seconds, not minutes (it took over 4 minutes of both cores before either)."""
    from ingest.errors import DocumentError
    from ingest.loaders import pdf_loader
    from ingest.loaders.page_workers import PageWorkers

    path = blank_pdf(tmp_path / "blank.pdf", 10_000)
    started = time.monotonic()
    with PageWorkers(2) as workers:
        document = pdf_loader.load(path, path.read_bytes(), "id", pdf_loader.PageWork(workers=workers))
    assert len(document.pages) == 10_000 and not any(p.text.strip() for p in document.pages)
    assert time.monotonic() - started < 120  # stated limit, generous for a shared machine
    too_many = blank_pdf(tmp_path / "huge.pdf", pdf_loader.MAX_PAGES + 1)
    with pytest.raises(DocumentError, match=f"has {pdf_loader.MAX_PAGES + 1} pages, over the 20000-page limit"):
        pdf_loader.load(too_many, too_many.read_bytes(), "id")


# --- questions -------------------------------------------------------------------------
QUESTION_CASES = [  # (case, question, expected error or None for an answer or a refusal)
    ("empty", "", "the question is empty"),
    ("only whitespace", " \n\t ", "the question is empty"),
    ("50,000 characters", "What is the FMF? " * 2942, "characters long; keep it under 2000"),
    ("binary", bytes(range(256)).decode("latin-1"), None),
    ("control characters and NUL", "\x00\x01\x02 FMF \x1b[31m Testland \x7f", None),
    ("FTS5 syntax", 'NEAR("Blue" OR) * ^ AND "" NOT -', None),
    ("Spanish", "¿Cuántos marineros tiene la marina de Testland?", None),
    ("Chinese", "Testland 海军有多少水兵？", None),
    ("emoji", "🚢🚢 patrol boats Blue Strait?", None),
]


@pytest.fixture(scope="module")
def small_assistant(tmp_path_factory, embedder):
    from assistant.core.engine import Assistant
    from ingest.pipeline import IngestOptions, ingest_paths
    from ingest.store import Store

    folder = tmp_path_factory.mktemp("questions")
    store = Store(folder / "store", embedding_name=embedder.name)
    assert not ingest_paths([write(folder / "plan.txt", PLAN_TEXT)], store, embedder, IngestOptions()).failed
    return Assistant(store, embedder)


@pytest.mark.parametrize("case, question, error", QUESTION_CASES, ids=[c[0] for c in QUESTION_CASES])
def test_each_question_case(small_assistant, case, question, error):
    from ingest.errors import UserError

    if error:
        with pytest.raises(UserError, match=error):
            small_assistant.ask(question)
        return
    started = time.monotonic()
    answer = small_assistant.ask(question)
    assert time.monotonic() - started < 30  # stated limit per question
    for citation in answer.citations:  # whatever it says comes from the document
        assert citation.quote and citation.quote in PLAN_TEXT.replace("\n", " ") or citation.source == "plan.txt"


def test_question_errors_are_one_line_on_the_command_line(small_assistant):
    env = {**os.environ, "PLANASSIST_STORE": str(small_assistant.store.store_dir)}
    for question, message in (("", "error: the question is empty"),
                              ("x " * 25_000, "error: the question is 49999 characters long; keep it under 2000")):
        result = subprocess.run([sys.executable, "-m", "assistant.frontends.cli", "ask", question], capture_output=True,
                                text=True, env=env, timeout=120)
        assert result.returncode == 1 and result.stderr.strip() == message, result.stderr
