"""The register template as an Excel workbook, written with the standard library (zipfile + XML)
so the same code runs at build time and, unchanged, under Pyodide.

One sheet (失联党员名册; a second one would be named in the reader's "other sheets" warning): the
recognised headers (姓名, 所在党支部, every fact's column, the register columns 取得联系时间 /
党籍状态 / 处置时间, and 原处置结果), one example row, a drop-down list (data validation, the values
written into the rule: each list is under Excel's 255 characters, checked) on every choice and
yes/no column, and date-formatted, date-validated date columns.  Everything comes from the rules; what the
template produces is read back without any mapping (tested).
"""

from __future__ import annotations

import datetime as _dt
import io
import zipfile
from xml.sax.saxutils import escape, quoteattr

from decision.roster.headers import label_for
from decision.roster.tables import PAST_KEY, config
from decision.roster.xlsx import column_name

ROWS_VALIDATED = 2000  # rows below the header that carry the drop-downs and date format
SHEET = "失联党员名册"
EXCEL_EPOCH = _dt.date(1899, 12, 30)


def _columns() -> list[dict]:
    """[{header, kind: text|date|list, options: [labels]}] in template order."""
    cfg = config()
    person = cfg["identity_names"]
    columns = [{"header": person[0], "kind": "text"}]
    branch = next((h for h in person if h in ("所在党支部",)), None)
    if branch:
        columns.append({"header": branch, "kind": "text"})
    for key in cfg["keys"]:
        question = cfg["questions"][key]
        kind = question.get("type")
        column = {"header": cfg["names"][key], "key": key, "kind": "text"}
        if kind == "date":
            column["kind"] = "date"
        elif kind == "bool":
            column.update(kind="list", options=["是", "否"])
        elif kind == "choice":
            column.update(kind="list", options=[o.get("label") or o["value"] for o in question["options"]])
        columns.append(column)
    for key, spec in cfg["extra"].items():
        column = {"header": spec["header"], "key": key, "kind": "text"}
        if spec.get("type") == "date":
            column["kind"] = "date"
        elif spec.get("type") == "choice":
            column.update(kind="list", options=[words[0] for words in spec["values"].values() if words])
        columns.append(column)
    past = ["未处置", *cfg["dispositions"].values()]
    columns.append({"header": cfg["past_header"], "key": PAST_KEY, "kind": "list", "options": past})
    return columns


def _example(columns: list[dict]) -> list[object]:
    cfg = config()
    example = cfg["example"]
    facts = example.get("facts", {})
    out: list[object] = []
    for column in columns:
        key = column.get("key")
        if key is None:
            out.append(example.get(column["header"], ""))
        elif key == PAST_KEY:
            past = example.get(PAST_KEY)
            out.append(cfg["dispositions"].get(past, "") if past else "")
        elif key in facts:
            value = facts[key]
            out.append(_dt.date.fromisoformat(value) if column["kind"] == "date" else label_for(key, value))
        else:
            out.append("")
    return out


def _cell(ref: str, value: object, style: int = 0) -> str:
    if isinstance(value, _dt.date):
        return f'<c r="{ref}" s="1"><v>{(value - EXCEL_EPOCH).days}</v></c>'
    if value == "":
        return f'<c r="{ref}" s="{style}"/>' if style else ""
    styled = f' s="{style}"' if style else ""
    return f'<c r="{ref}" t="inlineStr"{styled}><is><t>{escape(str(value))}</t></is></c>'


def template_xlsx() -> bytes:
    """The workbook's bytes (deterministic: fixed timestamps, so the build is reproducible)."""
    columns = _columns()
    last = column_name(len(columns) - 1)
    date_style = ' style="1"'
    cols = "".join(
        f'<col min="{n + 1}" max="{n + 1}" width="{14 if c["kind"] == "date" else 16}"'
        f'{date_style if c["kind"] == "date" else ""} customWidth="1"/>'
        for n, c in enumerate(columns)
    )
    header = "".join(_cell(f"{column_name(n)}1", c["header"], 2) for n, c in enumerate(columns))
    example = "".join(_cell(f"{column_name(n)}2", v) for n, v in enumerate(_example(columns)))
    validations = []
    for n, column in enumerate(columns):
        span = f"{column_name(n)}2:{column_name(n)}{ROWS_VALIDATED + 1}"
        if column["kind"] == "list":
            source = '"' + ",".join(column["options"]) + '"'
            if len(source) > 255 or any("," in o or '"' in o for o in column["options"]):
                raise ValueError(f"template: the drop-down of {column['header']} cannot be written inline")
            validations.append(
                f'<dataValidation type="list" allowBlank="1" showErrorMessage="1" errorTitle="请从列表中选择"'
                f' error={quoteattr("请从下拉列表中选择，或空着（不知道）。")} sqref="{span}">'
                f"<formula1>{escape(source)}</formula1></dataValidation>"
            )
        elif column["kind"] == "date":
            validations.append(
                f'<dataValidation type="date" operator="between" allowBlank="1" showErrorMessage="1"'
                f' errorTitle="请填写日期" error={quoteattr("请填写日期，如 2023-02-01；只知道月份的可写成 2023年2月。")}'
                f' showInputMessage="1" promptTitle="日期" prompt="如 2023-02-01" sqref="{span}">'
                f"<formula1>1</formula1><formula2>401768</formula2></dataValidation>"
            )
    sheet = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        f'<dimension ref="A1:{last}2"/>'
        '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
        f"<cols>{cols}</cols>"
        f'<sheetData><row r="1">{header}</row><row r="2">{example}</row></sheetData>'
        f'<dataValidations count="{len(validations)}">{"".join(validations)}</dataValidations>'
        "</worksheet>"
    )
    parts = {
        "[Content_Types].xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            "</Types>"
        ),
        "_rels/.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            f'<sheets><sheet name="{SHEET}" sheetId="1" r:id="rId1"/></sheets>'
            "</workbook>"
        ),
        "xl/_rels/workbook.xml.rels": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
            "</Relationships>"
        ),
        "xl/styles.xml": (
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            '<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>'
            '<fonts count="2"><font><sz val="11"/><name val="宋体"/></font><font><b/><sz val="11"/><name val="宋体"/></font></fonts>'
            '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
            '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
            '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
            '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
            '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
            '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
            '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
            "</styleSheet>"
        ),
        "xl/worksheets/sheet1.xml": sheet,
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            info = zipfile.ZipInfo(name, date_time=(2017, 2, 3, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return out.getvalue()
