"""Paragraph ids on the numbering styles of real documents (ingest/numbering.py), and the
document identity stored with every chunk (ingest/identity.py)."""

from pathlib import Path

from ingest.chunking import chunk_document
from ingest.identity import document_identity
from ingest.numbering import has_paragraph_id
from ingest.records import LoadedDocument, Page


def doc(pages, markdown=False, title="T", name="x.txt"):
    return LoadedDocument(path=Path(name), doc_id="abc", title=title, markdown_headings=markdown,
                          pages=tuple(Page(i + 1, t) for i, t in enumerate(pages)))


def ids(chunks):
    return [c.section for c in chunks]


def section_of(chunks, words):
    return next(c.section for c in chunks if words in c.text)


def expect_sections(chunks, expected):
    """{words of a chunk: the paragraph id it must carry}"""
    assert {words: section_of(chunks, words) for words in expected} == expected


def test_roman_sections_of_an_attachment_compose_with_letters_and_numbers():
    memo = """C9.7.1. Letter of Credit. The partner may use a bank letter of credit.
C9.7.1.1. Eligibility. Partners with dependable undertaking status may apply."""
    attachment = """Attachment 2: Implementation Guidance
I. Policy
1. The policy memo sets the new term of sale.
II. Implementation Guidance for Routine Payments
A. Applicability
1. The use of a letter of credit is limited to some partners.
B. Responsibilities
1. The partner must meet the requirements.
2. The office may submit an official request.
i. The value should be no less than three times the quarterly disbursement.
ii. Termination liability may be included.
C. Monitoring
1. The finance director monitors the letter.
D. Payments
1. Funds are treated as national funds.
E. Replenishment
1. The partner replenishes within 15 days.
F. Amendments
1. Increases need an amendment.
G. Extension
1. Refer to the manual.
H. Termination
1. Termination needs written consent.
I. Closeout.
1. Closeout follows the same process.
III. Implementation Guidance for Supplementation
A. Applicability
1. Any partner with a qualified bank may use it."""
    chunks = chunk_document(doc([memo, attachment]))
    assert ids(chunks)[:2] == ["C9.7.1", "C9.7.1.1"]
    expect_sections(chunks, {
        "new term of sale": "Attachment 2 > I.1",
        "limited to some": "Attachment 2 > II.A.1",
        "three times": "Attachment 2 > II.B.2.i",
        "Termination liability": "Attachment 2 > II.B.2.ii",
        "same process": "Attachment 2 > II.I.1",  # the letter I after H, not the numeral one
        "qualified bank": "Attachment 2 > III.A.1",
    })


def test_dod_issuance_paragraphs_enclosures_and_glossary():
    cover = """1. PURPOSE. This instruction:
a. Reissues the instruction to establish policy.
b. Assigns responsibilities for security cooperation.
2. APPLICABILITY. This instruction applies to the DoD Components.
TABLE OF CONTENTS
ENCLOSURE 2: RESPONSIBILITIES .............................................. 5
2.4. DoD Component Heads. ................................................... 6
GLOSSARY ........................................................................ 9"""
    references = """ENCLOSURE 1
REFERENCES
(a) DoD Directive 5105.65, "Defense Security Cooperation Agency," October 26, 2012
(b) DoD Directive 5111.01, "Under Secretary of Defense for Policy," June 23, 2008"""
    enclosure = """ENCLOSURE 2
RESPONSIBILITIES
1. DIRECTOR, DSCA. The Director:
a. Manages the programs.
(1) Reports on them every year.
(2) Keeps the records.
(a) Keeps the case files for ten years.
b. Oversees the workforce."""
    glossary = """GLOSSARY
PART I. ABBREVIATIONS AND ACRONYMS
SCO security cooperation organization
PART II. DEFINITIONS
Unless otherwise noted, these terms are for the purposes of this instruction.

security cooperation organization.  Those DoD elements located in a foreign country that carry out
security cooperation functions.

significant military equipment.  Articles for which special export controls are warranted."""
    chunks = chunk_document(doc([cover, references, enclosure, glossary]))
    assert "2.4" not in ids(chunks)  # a table-of-contents line
    assert not any("(a)" in s or "(b)" in s for s in ids(chunks) if s.startswith("Enclosure 1"))
    expect_sections(chunks, {
        "Reissues": "1.a",
        "Assigns": "1.b",
        "Reports on them": "Enclosure 2 > 1.a.(1)",
        "ten years": "Enclosure 2 > 1.a.(2)(a)",
        "workforce": "Enclosure 2 > 1.b",
        "located in a foreign": "Glossary > security cooperation organization",
        "special export": "Glossary > significant military equipment",
    })


def test_decimal_issuance_paragraphs_take_letters():
    text = """SECTION 1: GENERAL ISSUANCE INFORMATION
1.1. APPLICABILITY. This issuance applies to OSD.
1.2. POLICY. The DoD will:
a. Protect critical program information.
b. Identify it early in the program."""
    chunks = chunk_document(doc([text]))
    assert section_of(chunks, "Identify it early") == "1.2.b"


def test_statute_subsections_carry_the_section_number():
    text = """# § 333. Foreign security forces: authority to build capacity
## (a) Authority
The Secretary of Defense is authorized to conduct a program.
(1) Counterterrorism operations.
(2) Counter-weapons of mass destruction operations.
## (e) Notice and Wait on Activities Under Programs
Not later than 15 days before initiating activities, the Secretary shall submit a notice.
(1) The foreign country and unit.
(A) The amount of the support.
(B) The purpose of the support.
(2) A detailed evaluation of the capacity."""
    chunks = chunk_document(doc([text], markdown=True, name="usc.md"))
    expect_sections(chunks, {"authorized to conduct": "333(a)", "Counterterrorism": "333(a)(1)",
                             "15 days before": "333(e)", "foreign country and unit": "333(e)(1)",
                             "purpose of the support": "333(e)(1)(B)", "detailed evaluation": "333(e)(2)"})
    notice = next(c for c in chunks if "15 days before" in c.text)
    assert "(e) Notice and Wait" in notice.heading_path and "(e) Notice and Wait" in notice.embed_text


def test_false_numbers_are_not_paragraphs():
    text = """1. The partner receives support under the program. See SAMM Section
C9.8.5. for the payment terms.
2. Deliveries began in
2005. The program continues.
3. The third paragraph."""
    chunks = chunk_document(doc([text]))
    assert ids(chunks) == ["1", "2", "3"]


def test_memo_letterhead_and_addresses_are_not_headings():
    text = """DEFENSE SECURITY COOPERATION AGENCY
MEMORANDUM FOR SEE DISTRIBUTION
SUBJECT: Payment schedule reports
This memorandum updates the report. It is due each quarter."""
    chunks = chunk_document(doc([text]))
    assert ids(chunks) == [""]


def test_has_paragraph_id():
    for section in ("1", "1.2.b", "3.c.(2)", "4.a.(1)(b)", "III.A.1", "C11.15.9", "333(e)(8)",
                    "Enclosure 2 > 9.m", "Attachment 2 > II.B.2.i", "Glossary > Security Cooperation Organization",
                    "Enclosure 3", "E2.1.3"):
        assert has_paragraph_id(section), section
    for section in ("", "SITUATION", "DISTRIBUTION LIST", "Chapter III", "1. SITUATION"):
        assert not has_paragraph_id(section), section


def test_identity_names_numbers_short_names_and_first_page_acronyms():
    opening = """Department of Defense INSTRUCTION NUMBER 5132.03 December 29, 2016
SUBJECT: DoD Policy and Responsibilities Relating to Security Cooperation
References: See Enclosure 1
1. PURPOSE. This instruction establishes policy for the Security Assistance Management Manual (SAMM)
and the Defense Security Cooperation Agency (DSCA)."""
    d = doc([opening], title="DoD Instruction 5132.03, DoD Policy and Responsibilities Relating to Security Cooperation",
            name="DoDI_5132.03.pdf")
    identity = document_identity(d)
    for term in ("DoDI 5132.03", "DoD Instruction 5132.03", "5132.03", "SAMM", "Security Assistance Management Manual"):
        assert term in identity, term
    chunk = chunk_document(d)[0]
    assert "DoDI 5132.03" in chunk.doc_identity.split("; ")
    assert chunk.embed_text.startswith(d.title + " (DoDI 5132.03")  # the short identity is embedded


def test_identity_of_a_memo_from_its_file_name():
    d = doc(["MEMORANDUM FOR SEE DISTRIBUTION\nSUBJECT: Payment schedules"], title="DEFENSE SECURITY COOPERATION AGENCY",
            name="DSCA_04-29.pdf")
    assert {"DSCA 04-29", "DSCA Policy 04-29", "04-29"} <= set(document_identity(d))


def test_enclosure_named_at_each_page_foot_opens_once_and_keeps_the_outline():
    from ingest.headers import strip_running_lines

    body = "\n".join(["The office plans the travel and reports on it."] * 8)  # pages long enough for 3 edge lines
    texts = [f"DoDD 4515.12, January 15, 2010\n1. PURPOSE. This directive sets policy.\n{body}\n2. POLICY. "
             f"Travel is supported.\n{body}\n1",
             f"DoDD 4515.12, January 15, 2010\nENCLOSURE 1\nREFERENCES\n(a) DoD Directive 5105.65\n{body}\n2\nENCLOSURE 1",
             f"DoDD 4515.12, January 15, 2010\nENCLOSURE 2\nSUPPORT FOR TRAVEL\n1. PLANNING. Support needs planning.\n"
             f"a. Planning is deliberate and starts early.\n{body}\n3\nENCLOSURE 2",
             f"DoDD 4515.12, January 15, 2010\nb. The office coordinates every request.\n{body}\n4\nENCLOSURE 2",
             f"DoDD 4515.12, January 15, 2010\nc. Airlift is a premium mode of travel.\n{body}\n5\nENCLOSURE 2"]
    pages = strip_running_lines([Page(i + 1, t) for i, t in enumerate(texts)])
    assert "ENCLOSURE 2" in pages[2].text and "DoDD 4515.12" not in pages[2].text
    chunks = chunk_document(LoadedDocument(path=Path("d.pdf"), doc_id="abc", title="T", pages=tuple(pages)))
    expect_sections(chunks, {"starts early": "Enclosure 2 > 1.a", "every request": "Enclosure 2 > 1.b",
                             "premium mode": "Enclosure 2 > 1.c"})
