"""Activity and objective lists: bad rows are reported by row number and skipped."""

import pytest

from assistant.features.mapping.inputs import read_activities, read_objectives
from assistant.features.mapping.objectives_from_corpus import objectives_from_chunks
from ingest.errors import UserError


def test_bad_activity_rows_are_reported_and_skipped(tmp_path):
    path = tmp_path / "acts.csv"
    path.write_text("id,title,type,description\nA1,Radar delivery,FMS case,six radars\n,No id,training,x\n"
                    "A1,Duplicate,exercise,y\nA2,Boarding training,training,VBSS\n", encoding="utf-8")
    activities, problems = read_activities(path)
    assert [a.id for a in activities] == ["A1", "A2"]
    assert problems == ["acts.csv row 3: missing id; row skipped", "acts.csv row 4: duplicate id 'A1'; row skipped"]


def test_unknown_parent_is_reported_from_xlsx(tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    for row in (["id", "level", "parent", "statement"], ["TCO 1", "TCO", None, "Partners secure the strait."],
                ["IMO 1.1", "IMO", "TCO 1", "The navy watches the strait."], ["IMO 9.1", "IMO", "TCO 9", "Orphaned."]):
        sheet.append(row)
    book.save(tmp_path / "objs.xlsx")
    objectives, problems = read_objectives(tmp_path / "objs.xlsx")
    assert [o.id for o in objectives] == ["TCO 1", "IMO 1.1"]
    assert problems == ["objs.xlsx row 4: 'IMO 9.1' names unknown parent 'TCO 9'; row skipped"]


def test_unreadable_list_is_one_clear_error(tmp_path):
    (tmp_path / "a.pdf").write_text("x")
    with pytest.raises(UserError, match="a.pdf: use a .csv or .xlsx file"):
        read_activities(tmp_path / "a.pdf")
    (tmp_path / "b.csv").write_text("name_of_thing,other\nx,y\n")
    with pytest.raises(UserError, match="no 'id' column"):
        read_activities(tmp_path / "b.csv")


def test_objectives_found_in_plan_text_with_their_hierarchy():
    texts = ["3.b.(1) TCO 1: Partners detect and interdict illicit maritime activity in the strait.",
             "8. IMO 1.2: The coast guard boards suspect vessels without outside help. IMO 1.2 is led by LOE 1.",
             "TCO 1 is the first priority. TCO 1 matters.",
             "2. TO 1: Boarding teams conduct boarding drills in heavy weather conditions."]
    found = {o.id: o for o in objectives_from_chunks(texts)}
    assert set(found) == {"TCO 1", "IMO 1.2"}  # TO 1 takes no part in the hierarchy
    assert found["IMO 1.2"].parent == "TCO 1" and found["IMO 1.2"].level == "IMO"
    assert found["IMO 1.2"].statement.startswith("The coast guard boards")
