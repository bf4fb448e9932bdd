"""--format xlsx: workbooks read back with openpyxl (types, fills, frozen
header, filter, column widths), hostile text never a formula, never to a terminal."""
import datetime
import os
import sys
import zipfile

import openpyxl

sys.path.insert(0, os.path.dirname(__file__))
import cwrun  # noqa: E402

HOSTILE = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2-3", "@SUM(A1:A2)",
           "\t=1+1", "\r=1+1"]
RED = "FFD4351C"


def headers(ws):
    return {c.value: c.column for c in ws[1]}


def no_formulas(path):
    with zipfile.ZipFile(path) as z:
        for name in z.namelist():
            if name.startswith("xl/worksheets/"):
                body = z.read(name).decode()
                assert "<f>" not in body and "<f " not in body, name + " holds a formula"


def area(a):
    a.basic()
    a.concern("Ash House", 4, 4, "2026-10-03", summary="Medication errors")
    for i, text in enumerate(HOSTILE):
        a.concern("Birch Court", 1, 2, "2026-10-%02d" % (10 + i), summary=text)
    a.run("sam", "concern", "log", "--provider", "Ash House", "--source", "pova_referral",
          "--team", "safeguarding", "--likelihood", "2", "--impact", "3", "--summary",
          "a referral", "--pova-ref", "POVA-SECRET-1", "--subject", "SU-SECRET-9",
          "--received", "2026-10-20")


def test_export_concerns(a):
    area(a)
    out = a.path("concerns.xlsx")
    j = a.json("vic", "export", "concerns", "--format", "xlsx", "--out", out)
    assert j["rows"] == 8 and j["sheet"] == "Concerns", j
    wb = openpyxl.load_workbook(out)
    ws = wb["Concerns"]
    assert ws.freeze_panes == "A2", ws.freeze_panes
    assert ws.auto_filter.ref == "A1:%s9" % openpyxl.utils.get_column_letter(ws.max_column), \
        ws.auto_filter.ref
    h = headers(ws)
    assert ws[1][0].font.b, "the header row is bold"
    # OOXML escapes a carriage return as _x000D_, which this openpyxl leaves as it is.
    rows = {r[h["Summary"] - 1].value.replace("_x000D_", "\r"): r
            for r in ws.iter_rows(min_row=2)}
    # Hostile text stays text: a string cell with the very characters given.
    for text in HOSTILE:
        cell = rows[text][h["Summary"] - 1]
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.value.replace("_x000D_", "\r") == text, (text, cell.value)
    no_formulas(out)
    med = rows["Medication errors"]
    assert med[h["Received"] - 1].value == datetime.datetime(2026, 10, 3), "a real date"
    assert med[h["Received"] - 1].is_date
    assert med[h["Likelihood"] - 1].value == 4 and med[h["Likelihood"] - 1].data_type == "n"
    band = med[h["Band"] - 1]
    assert band.value == "red" and band.fill.fgColor.rgb == RED, (band.value, band.fill.fgColor.rgb)
    green = rows[HOSTILE[0]][h["Band"] - 1]
    assert green.value == "green" and green.fill.fgColor.rgb == "FF00703C"
    # Sized to content: the summary column is as wide as its longest text.
    width = ws.column_dimensions[openpyxl.utils.get_column_letter(h["Summary"])].width
    assert width >= len(HOSTILE[0]), width
    # The viewer's workbook keeps the POVA references confidential.
    pova = rows["a referral"]
    assert pova[h["Pova ref"] - 1].value == "[confidential]"
    with zipfile.ZipFile(out) as z:
        assert not any(b"SECRET" in z.read(n) for n in z.namelist())


def test_watchlist_and_stdout(a):
    area(a)
    p = a.run("quinn", "watchlist", "--format", "xlsx")
    assert p.stdout[:2] == b"PK", "a workbook on stdout when it is not a terminal"
    path = a.write("wl.xlsx", "")
    with open(path, "wb") as f:
        f.write(p.stdout)
    ws = openpyxl.load_workbook(path)["Watch list"]
    h = headers(ws)
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    first = [c for c in ws[2]]
    assert first[h["Provider"] - 1].value == "Ash House"
    assert first[h["Band"] - 1].fill.fgColor.rgb == RED and first[h["Band"] - 1].value == "red"
    assert first[h["Max score"] - 1].value == 16
    a.run("quinn", "--json", "watchlist", "--format", "xlsx", expect=2)
    # A file that cannot be made: one line saying so, exit 2.
    p = a.run("quinn", "watchlist", "--format", "xlsx", "--out", a.path("no/such/dir/x.xlsx"),
              expect=2)
    assert p.stderr.count(b"\n") == 1 and b"cannot write" in p.stderr, p.stderr
    a.run("quinn", "watchlist", "--out", a.path("x.xlsx"), expect=2)


def test_never_to_a_terminal(a):
    area(a)
    # Under a pseudo-terminal (util-linux script), stdout is a terminal: refused.
    import subprocess
    cmd = "%s --as quinn watchlist --format xlsx" % a.bin
    env = dict(os.environ, CAREWATCH_DB=a.db, CAREWATCH_TODAY=a.today)
    p = subprocess.run(["script", "-qec", cmd, "/dev/null"], capture_output=True, env=env)
    assert p.returncode == 2, (p.returncode, p.stdout)
    assert b"not for a terminal" in p.stdout and b"PK" not in p.stdout, p.stdout


def test_action_plan(a):
    area(a)
    a.run("kim", "case", "open", "--provider", "Ash House", "--reason", "r", today="2026-10-04")
    a.run("kim", "case", "escalate", "Ash House", "--trigger", "pattern_of_issues", "--chair",
          "kim", today="2026-10-05")
    cid = a.json("kim", "concern", "list", "--provider", "Ash House")[-1]["id"]
    item = a.json("kim", "action", "add", "--case", "Ash House", "--concern", cid, "--kind", "CA",
                  "--improvement", "=cmd|' /C calc'!A0", "--due", "2026-11-01", "--owner",
                  "Manager", today="2026-10-06")
    a.run("kim", "action", "extend", item["id"], "--due", "2026-12-01", "--rationale",
          "new manager", today="2026-10-20")
    a.run("kim", "action", "progress", item["id"], "--status", "ongoing", "--evidence",
          "audit done", today="2026-10-21")
    out = a.path("plan.xlsx")
    a.run("kim", "document", "action-plan", "--case", "Ash House", "--format", "xlsx", "--out", out)
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Plan", "Items", "Evidence", "Extensions"], wb.sheetnames
    items = wb["Items"]
    h = headers(items)
    row = items[2]
    assert row[h["Improvement required"] - 1].value == "=cmd|' /C calc'!A0"
    assert row[h["Improvement required"] - 1].data_type == "s"
    assert row[h["By when"] - 1].value == datetime.datetime(2026, 12, 1)
    assert row[h["Band"] - 1].value == "red" and row[h["Band"] - 1].fill.fgColor.rgb == RED
    ev = wb["Evidence"]
    assert ev[2][1].value == datetime.datetime(2026, 10, 21) and ev[2][2].value == "audit done"
    ext = wb["Extensions"]
    assert [c.value for c in ext[2]][1:4] == [datetime.datetime(2026, 10, 20),
                                               datetime.datetime(2026, 11, 1),
                                               datetime.datetime(2026, 12, 1)]
    for ws in wb.worksheets:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref, ws.title
    no_formulas(out)
    a.run("kim", "document", "ppm-agenda", "--case", "Ash House", "--format", "xlsx",
          "--out", a.path("no.xlsx"), expect=2)
    assert not os.path.exists(a.path("no.xlsx"))


cwrun.main([test_export_concerns, test_watchlist_and_stdout, test_never_to_a_terminal,
            test_action_plan])
