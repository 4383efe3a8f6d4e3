"""The naive LangChain setup the product is compared against, as a planner would assemble it
from a tutorial: LangChain community loaders (PyPDFLoader pages, Docx2txtLoader,
TextLoader), RecursiveCharacterTextSplitter 1000/200 characters, Chroma, similarity search
top 5. Shared by the evaluation and the benchmarks. It needs the `test` extra
(langchain-community, docx2txt)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ingest.errors import UserError

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 5
SUFFIXES = (".pdf", ".docx", ".txt", ".md")


def _loader(path: Path):
    try:
        from langchain_community.document_loaders import Docx2txtLoader, PyPDFLoader, TextLoader
    except ImportError as exc:  # the baseline is a test-extra tool, not part of the product
        raise UserError("the naive baseline needs langchain-community and docx2txt "
                        "(pip install -e '.[test]'), or run with --no-naive") from exc
    if path.suffix.lower() == ".pdf":
        return PyPDFLoader(str(path))
    if path.suffix.lower() == ".docx":
        return Docx2txtLoader(str(path))
    return TextLoader(str(path), encoding="utf-8")


def load_documents(folder: Path, files: list[Path] | None = None) -> list:
    """LangChain Documents, one per PDF page or per other file, in file-name order (of the
    folder, or of the given files of it). A file its loader cannot read (an HTML page named
    .pdf) is left out, as the product leaves it out."""
    files = sorted(p for p in (files if files is not None else Path(folder).rglob("*"))
                   if p.suffix.lower() in SUFFIXES and p.is_file())
    documents = []
    for path in files:
        loader = _loader(path)
        try:
            documents += loader.load()
        except Exception:  # noqa: BLE001 - pypdf raises several types for a file that is not a PDF
            continue
    return documents


def split(documents: list) -> list:
    from langchain_text_splitters import RecursiveCharacterTextSplitter

    return RecursiveCharacterTextSplitter(chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP).split_documents(documents)


def huggingface_embeddings():
    """The tutorial's embeddings: the same all-MiniLM-L6-v2 through torch (used by the ingest
    speed benchmark, where the naive setup's own model loading is part of what is timed)."""
    from langchain_huggingface import HuggingFaceEmbeddings

    from ingest.embedding import default_model_dir

    return HuggingFaceEmbeddings(model_name=str(default_model_dir()), model_kwargs={"device": "cpu"},
                                 encode_kwargs={"normalize_embeddings": True})


def build_index(chunks: list, embeddings, directory: Path):
    from langchain_chroma import Chroma

    return Chroma.from_documents(chunks, embeddings, collection_name="naive", persist_directory=str(directory))


def open_index(embeddings, directory: Path):
    from langchain_chroma import Chroma

    return Chroma(collection_name="naive", embedding_function=embeddings, persist_directory=str(directory))


@dataclass(frozen=True)
class NaiveHit:
    source: str  # file name
    page: int | None  # 1-based PDF page; None for DOCX and text files
    text: str


def search(index, question: str, k: int = TOP_K) -> list[NaiveHit]:
    hits = []
    for doc in index.similarity_search(question, k=k):
        page = doc.metadata.get("page")
        hits.append(NaiveHit(source=Path(doc.metadata.get("source", "")).name,
                             page=int(page) + 1 if page is not None else None,  # PyPDFLoader pages are 0-based
                             text=doc.page_content))
    return hits
