"""Uploaded files onto disk under the store, safely: a browser sends any name it likes, so
the name is reduced to one plain file name before anything is written, and a file that
fails to ingest is taken back out (or its previous version put back)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from ingest.errors import UserError

UPLOAD_FOLDER = "uploads"
MAX_NAME_CHARS = 120


def safe_file_name(name: str) -> str:
    """'../../etc/passwd' -> 'passwd'; 'C:\\x\\plan.pdf' -> 'plan.pdf'; odd characters -> '_'.
    Raises UserError when nothing usable is left."""
    name = unicodedata.normalize("NFKC", name or "").replace("\\", "/").split("/")[-1]
    name = re.sub(r"[^\w .()+-]", "_", name).strip(" .")
    stem, dot, extension = name.rpartition(".")
    if dot and len(name) > MAX_NAME_CHARS:
        name = stem[:MAX_NAME_CHARS - len(extension) - 1] + "." + extension
    name = name[:MAX_NAME_CHARS]
    if not name or set(name) <= {".", "_", " "}:
        raise UserError(f"'{name or '(no name)'}' is not a usable file name")
    return name


@dataclass
class SavedUpload:
    original_name: str
    path: Path
    previous: bytes | None  # the file this upload overwrote, put back if the upload fails

    def undo(self) -> None:
        if self.previous is None:
            self.path.unlink(missing_ok=True)
        else:
            self.path.write_bytes(self.previous)


def upload_dir(store_dir: Path, owner: str | None = None) -> Path:
    """<store>/uploads, or <store>/uploads/<user> for a signed-in user: one user's upload
    never lands on the path of another's document, so it can neither replace a document the
    uploader may not see nor learn from the outcome that one exists."""
    folder = Path(store_dir) / UPLOAD_FOLDER
    return folder / safe_file_name(owner) if owner else folder


def save_upload(folder: Path, original_name: str, content: bytes) -> SavedUpload:
    """Write one uploaded file into `folder` under its sanitized name."""
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    target = (folder / safe_file_name(original_name)).resolve()
    if target.parent != folder:  # belt and braces: the name is already a single component
        raise UserError(f"'{original_name}' would be written outside the upload folder")
    previous = target.read_bytes() if target.is_file() else None
    target.write_bytes(content)
    return SavedUpload(original_name, target, previous)


def is_upload(path: str | Path, store_dir: Path) -> bool:
    try:
        return Path(path).resolve().is_relative_to(upload_dir(store_dir).resolve())
    except OSError:
        return False
