"""The Chroma side of the store: one client factory for the embedded and server modes, and
the few collection operations the product needs. Chroma holds chunks, vectors and metadata
and is the source of truth; everything else is derived from it."""

from __future__ import annotations

from pathlib import Path
from typing import Iterator
from urllib.parse import urlparse

from ingest.errors import UserError

PAGE = 1000  # rows per get/add call; well under Chroma's maximum batch size


def open_client(store_dir: Path, chroma_url: str | None = None):
    """PersistentClient under the store folder, or HttpClient for a Chroma server."""
    import chromadb
    from chromadb.config import Settings

    settings = Settings(anonymized_telemetry=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        if not url.hostname:
            raise UserError(f"--chroma-url {chroma_url!r} is not a URL like http://127.0.0.1:8000")
        try:
            client = chromadb.HttpClient(host=url.hostname, port=url.port or 8000,
                                         ssl=url.scheme == "https", settings=settings)
            client.heartbeat()
        except Exception as exc:
            raise UserError(f"cannot reach the Chroma server at {chroma_url} ({type(exc).__name__}: {exc})") from exc
        return client
    store_dir.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(store_dir / "chroma"), settings=settings)


def open_collection(client, name: str, embedding_name: str):
    """The collection, in cosine space, made with our own vectors (no Chroma embedding
    function: Chroma's default one downloads a model). Refuses a collection whose vectors
    came from another model, since its distances would mean nothing."""
    try:
        collection = client.get_or_create_collection(
            name, embedding_function=None, configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": embedding_name})
    except Exception as exc:
        raise UserError(f"cannot open collection '{name}' ({exc})") from exc
    stored = (collection.metadata or {}).get("embedding_model")
    if stored and stored != embedding_name:
        raise UserError(
            f"collection '{name}' was built with embedding model {stored}, not {embedding_name}; "
            "use another --collection or the model it was built with")
    return collection


def add(collection, ids, vectors, documents, metadatas) -> None:
    for start in range(0, len(ids), PAGE):
        end = start + PAGE
        collection.add(ids=ids[start:end], embeddings=vectors[start:end],
                       documents=documents[start:end], metadatas=metadatas[start:end])


def iterate(collection, where: dict | None = None, include=("metadatas",)) -> Iterator[tuple[str, dict, str | None]]:
    """(id, metadata, document) for every row, in pages, so a large collection never loads whole."""
    offset = 0
    while True:
        batch = collection.get(where=where, include=list(include), limit=PAGE, offset=offset)
        ids = batch["ids"]
        if not ids:
            return
        documents = batch.get("documents") or [None] * len(ids)
        metadatas = batch.get("metadatas") or [None] * len(ids)  # None when not included
        for row_id, metadata, document in zip(ids, metadatas, documents):
            yield row_id, metadata or {}, document
        offset += len(ids)


def delete_documents(collection, doc_ids: list[str]) -> None:
    for doc_id in doc_ids:
        collection.delete(where={"doc_id": doc_id})
