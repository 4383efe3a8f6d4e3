"""What one signed-in user may see, for the pages: a read view of the shared store that lists
only the documents the user's profile allows (used by the documents list, the chat filters,
drafting, mapping and the evaluation over the store), and the shared assistant bound to the
profile (every answer, source, closest passage and draft is searched under Filters.access,
and the audit line names the user).

Both are thin wrappers made per run: the store, model and assistant stay shared objects
(assistant/ui/resources.py); only the profile differs between sessions."""

from __future__ import annotations

import copy

from assistant.access import UserProfile


class VisibleStore:
    """The store as one user sees it. Reads that name documents are filtered; everything else
    (collection, keyword index, store_dir, writer_lock) is the shared store's own, so code
    that searches through `documents()` (HybridSearch, objectives_from_store, the
    evaluation) sees only the allowed documents."""

    def __init__(self, store, profile: UserProfile | None):
        self._store = store
        self.profile = profile

    def __getattr__(self, name):
        return getattr(self._store, name)

    def allowed(self, document) -> bool:
        return self.profile is None or self.profile.allowed(document.marking)

    def documents(self):
        return [d for d in self._store.documents() if self.allowed(d)]

    def visible_ids(self) -> set[str]:
        return {d.doc_id for d in self.documents()}

    def find_document(self, ref: str):
        document = self._store.find_document(ref)
        if not self.allowed(document):
            from ingest.errors import UserError

            raise UserError(f"no document '{ref}' in the store")  # the same message as for a missing one
        return document

    def get_chunks(self, chunk_ids):
        visible = self.visible_ids()
        return {cid: value for cid, value in self._store.get_chunks(chunk_ids).items()
                if (value[1] or {}).get("doc_id") in visible}

    def document_chunks(self, doc_id: str):
        return self._store.document_chunks(doc_id) if doc_id in self.visible_ids() else []


def bound_assistant(assistant, profile: UserProfile | None):
    """The shared assistant answering for `profile`: a shallow copy sharing the search, the
    answerer's cache and the audit log, whose default user is the profile. None (the
    single-user default) answers with no limit."""
    bound = copy.copy(assistant)
    bound.user = profile
    return bound
