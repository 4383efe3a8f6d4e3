"""The Documents page's changes to the store (upload, set type and marking, remove), each
checked against the signed-in user's role here, on the server, whatever the page showed:
only curators (or the single-user default, profile None) change the store, and only
documents the user may see can be changed or removed."""

from __future__ import annotations

from pathlib import Path

from assistant.access.profiles import UserProfile
from assistant.frontends.ui.ingest_uploads import FileResult, ingest_uploads
from assistant.frontends.ui.uploads import is_upload
from ingest.errors import UserError
from ingest.metadata import checked_marking
from ingest.reader import reader_of


class NotAllowed(UserError):
    """The user's role does not allow this change."""


def may_curate(profile: UserProfile | None) -> bool:
    return profile is None or profile.role == "curator"


def require_curator(profile: UserProfile | None, action: str) -> None:
    if not may_curate(profile):
        raise NotAllowed(f"{profile.name} is a {profile.role}: only curators may {action}")


def _visible_document(profile: UserProfile | None, store, doc_id: str):
    """The document if the profile may see it; a hidden one gets the reply a missing one does."""
    visible = reader_of(store).visible_to(profile).documents()
    document = next((d for d in visible if d.doc_id == doc_id), None)
    if document is None:
        raise UserError("that document is not in the store")
    return document


def add_documents(profile, files: list[tuple[str, bytes]], store, embedder, doc_type=None, marking=None,
                  progress=None) -> list[FileResult]:
    require_curator(profile, "add documents")
    return ingest_uploads(files, store, embedder, doc_type=doc_type, marking=marking, progress=progress,
                          owner=profile)


def set_fields(profile, store, doc_id: str, doc_type: str, marking: str) -> str:
    """Set a document's type and marking; returns the marking as stored."""
    require_curator(profile, "change document markings")
    _visible_document(profile, store, doc_id)
    marking = checked_marking(marking) if marking.strip() else ""  # an unknown marking is refused
    with store.writer_lock(wait_seconds=30):
        store.set_document_fields(doc_id, doc_type=doc_type, marking=marking)
    return marking


def remove_document(profile, store, doc_id: str):
    """Remove a document (and the app's copy of an uploaded file); returns its row."""
    require_curator(profile, "remove documents")
    document = _visible_document(profile, store, doc_id)
    with store.writer_lock(wait_seconds=30):
        store.remove_document(doc_id)
    if is_upload(document.path, store.store_dir):  # uploaded through the app: its copy goes too
        Path(document.path).unlink(missing_ok=True)
    return document
