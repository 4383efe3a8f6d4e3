"""A document's identity: its number ("DoDI 5132.03", "DSCA 04-29", "10 U.S.C. 333"), title,
short name and the acronyms its first page defines.

Planners name the document they mean ("Per 5132.03, ...", "under the SAMM"), but its
paragraphs rarely repeat the number or short name: the identity is stored with every chunk
(metadata `doc_identity`), keyword-indexed with it and put before its embedded text, so that
every passage of a document counts as mentioning what identifies it.
"""

from __future__ import annotations

import re

from ingest.glossary import extract_glossary
from ingest.numbering import is_cover_line
from ingest.records import LoadedDocument

SEPARATOR = "; "
OPENING_CHARS = 2500  # the first page's head: where memos and issuances put number and subject
MAX_ACRONYMS = 8  # a cover page defining more is a glossary, not the document's names
DECLARED_KEYS = ("number", "short_name", "short_names", "aliases", "identity")

_ISSUANCE_KINDS = {"directive": "D", "instruction": "I", "manual": "M", "d": "D", "i": "I", "m": "M"}
_DOD_NUMBER = r"(\d{4}\.\d{1,3}[A-Z]?(?:-[A-Z]{1,2})?)"
_DOD_ISSUANCE = re.compile(r"\bDoD[\s_]*(Directive|Instruction|Manual|D|I|M)[\s_]*(?:Number|No\.?)?[\s_]*"
                           + _DOD_NUMBER + r"(?![\w.])", re.I)
_DOD_PLAIN = re.compile(r"\bDoD[\s_]+(\d{4}\.\d{1,3}-[A-Z]{1,2})(?![\w.])")  # DoD 7000.14-R, DoD 5100.76-M
_ISSUANCE_FILE = re.compile(r"\bIssuance[\s_]+" + _DOD_NUMBER + r"(?![\w.])", re.I)
_CJCS = re.compile(r"\b(CJCS[IM])[\s_]+(\d{4}\.\d{2}[A-Z]?)\b")
_JOINT_PUB = re.compile(r"\b(?:Joint[\s_]+Publication|JP)[\s_]+(\d-\d{1,2}(?:\.\d{1,2})?)\b")
_DSCA_MEMO = re.compile(r"\bDSCA[\s_]+(?:Policy[\s_]+(?:Memo(?:randum)?[\s_]+)?)?(?:No\.?\s*)?(\d{2}-\d{2,3})\b")
_DSCA_LETTER = re.compile(r"\b(?:DSCA[\s_]+)?(I-\d{2}-\d{5,6})\b")
_DD_FORM = re.compile(r"\bDD[\s_]+Form[\s_]+(\d{3,4})\b", re.I)
_USC = re.compile(r"\b(\d{1,2})\s*U\.?\s?S\.?\s?C\.?\s*(?:\u00a7+\s*)?(\d{2,5}[a-z]?)\b")
_SECTION_SIGN = re.compile(r"^\s*#*\s*\u00a7+\s*(\d{2,5}[a-z]?)\.?\s", re.M)
_PUBLIC_LAW = re.compile(r"\bPublic[\s_]+Law[\s_]+(\d{2,3}-\d{1,3})\b|\bP\.\s?L\.\s?(\d{2,3}-\d{1,3})\b")
_SUBJECT = re.compile(r"^\s*SUBJECT\s*:\s*(.+)$", re.M | re.I)
_SMALL = {"of", "and", "for", "the", "on", "in", "to", "a", "an", "&", "with", "at", "by"}


def document_numbers(text: str) -> list[str]:
    """Each way the text names a document number, fullest first ("DoDI 5132.03",
    "DoD Instruction 5132.03", "5132.03")."""
    found: list[str] = []
    for match in _DOD_ISSUANCE.finditer(text):
        letter = _ISSUANCE_KINDS[match.group(1).lower()]
        number = match.group(2)
        long_kind = {"D": "Directive", "I": "Instruction", "M": "Manual"}[letter]
        found += [f"DoD{letter} {number}", f"DoD {long_kind} {number}", number]
    for match in _DOD_PLAIN.finditer(text):
        found += [f"DoD {match.group(1)}", match.group(1)]
    for match in _ISSUANCE_FILE.finditer(text):
        found += [f"DoD Issuance {match.group(1)}", match.group(1)]
    for match in _CJCS.finditer(text):
        found += [f"{match.group(1)} {match.group(2)}", match.group(2)]
    for match in _JOINT_PUB.finditer(text):
        found += [f"JP {match.group(1)}", f"Joint Publication {match.group(1)}"]
    for match in _DSCA_MEMO.finditer(text):
        found += [f"DSCA {match.group(1)}", f"DSCA Policy {match.group(1)}", match.group(1)]
    for match in _DSCA_LETTER.finditer(text):
        found += [f"DSCA {match.group(1)}", match.group(1)]
    for match in _DD_FORM.finditer(text):
        found += [f"DD Form {match.group(1)}"]
    for match in _USC.finditer(text):
        found += [f"{match.group(1)} U.S.C. {match.group(2)}", f"section {match.group(2)}", match.group(2)]
    for match in _SECTION_SIGN.finditer(text):
        found += [f"section {match.group(1)}", match.group(1)]
    for match in _PUBLIC_LAW.finditer(text):
        found += [f"Public Law {match.group(1) or match.group(2)}"]
    return list(dict.fromkeys(found))


def _first_number(text: str) -> list[str]:
    """The variants of the number that comes first in the text."""
    found = [(m.start(), m.group(0)) for pattern in (_DOD_ISSUANCE, _DOD_PLAIN, _CJCS, _JOINT_PUB, _DSCA_MEMO,
                                                     _DSCA_LETTER, _DD_FORM, _USC, _PUBLIC_LAW)
             for m in pattern.finditer(text)]
    return document_numbers(min(found)[1]) if found else []


def _title_initials(title: str) -> str:
    words = [w for w in re.findall(r"[A-Za-z][\w'-]*", title) if w.lower() not in _SMALL]
    return "".join(w[0] for w in words).upper() if 2 <= len(words) <= 8 else ""


def _declared_terms(declared: dict) -> list[str]:
    terms: list[str] = []
    for key in DECLARED_KEYS:
        value = declared.get(key)
        if isinstance(value, (list, tuple)):
            terms += [str(v) for v in value if v]
        elif value:
            terms += [t for t in re.split(r"\s*;\s*", str(value)) if t]
    return terms


def document_identity(document: LoadedDocument) -> list[str]:
    """The terms that identify a document, most specific first, without repeats."""
    opening = document.pages[0].text[:OPENING_CHARS] if document.pages else ""
    stem = document.path.stem.replace("_", " ")
    title = " ".join(document.title.split())
    terms = _declared_terms(document.declared)
    # the file name and title are the publisher's own label; the opening also cites other
    # documents (references, "supersedes"), so only its first number counts
    own = document_numbers(f"{stem}\n{title}")
    terms += own
    if not own:  # else the opening's numbers are mostly the references it cites
        terms += _first_number(opening[:600])
    if title and not (title.isupper() and is_cover_line(title)):  # a memo's "title" is often its letterhead
        terms.append(title)
    if subject := _SUBJECT.search(opening):
        terms.append(" ".join(subject.group(1).split()[:16]))
    initials = _title_initials(title)
    text_head = " ".join(page.text for page in document.pages[:3])
    if len(initials) >= 3 and re.search(rf"\b{initials}s?\b", text_head):
        terms.append(initials)  # "Security Assistance Management Manual" -> SAMM, when the text says it
    for acronym, expansion in extract_glossary([opening])[:MAX_ACRONYMS]:
        terms += [acronym, expansion]
    seen: dict[str, str] = {}
    for term in terms:
        term = " ".join(str(term).split()).strip(" ;,.")
        if term and term.lower() not in seen:
            seen[term.lower()] = term
    return list(seen.values())


def identity_text(terms: list[str]) -> str:
    return SEPARATOR.join(terms)


def identity_terms(text: str) -> list[str]:
    """The terms of a stored `doc_identity` (identity_text's inverse)."""
    return [t for t in text.split(SEPARATOR) if t]


def short_identity(terms: list[str], max_words: int = 6) -> str:
    """The leading identity terms that are not the title, within max_words: what goes before a
    chunk's embedded text next to its title (the model reads 256 word pieces in all)."""
    kept: list[str] = []
    words = 0
    for term in terms:
        n = len(term.split())
        if words + n > max_words:
            break
        kept.append(term)
        words += n
    return SEPARATOR.join(kept)
