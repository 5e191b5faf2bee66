"""A .docx file (WordprocessingML) from one draft, with the standard library only.

Why our own writer and not a library: the same code must run in the browser's Pyodide worker
(core Pyodide only: no python-docx, whose lxml is not in core) and on the command line, and a
公文 draft needs only paragraphs in a few styles.  The package is the minimal valid one that
Word and WPS open without a repair prompt: [Content_Types].xml, _rels/.rels,
word/document.xml, word/styles.xml, word/settings.xml, word/fontTable.xml (the 公文 fonts with
their fallbacks), word/footer1.xml (page numbers), docProps/core.xml and docProps/app.xml.
Layout after GB/T 9704: A4, margins 37/35/28/26 mm, 仿宋_GB2312 三号 (16 pt) body with 22 lines
a page, 方正小标宋简体 二号 title; fonts not installed fall back to 仿宋 / 宋体 / 黑体.
The bytes depend only on the draft (fixed zip timestamps).
"""

from __future__ import annotations

import io
import re
import zipfile
from xml.sax.saxutils import escape

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
DOC_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
CT_WML = "application/vnd.openxmlformats-officedocument.wordprocessingml"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

BODY_FONT, TITLE_FONT, MARK_FONT = "仿宋_GB2312", "方正小标宋简体", "黑体"
FALLBACK = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", MARK_FONT: "黑体", "宋体": "SimSun"}
MM = 56.7  # twips per millimetre
LINE = 579  # twips: 22 lines in the 225 mm text block

# Characters XML 1.0 cannot hold (control characters, lone surrogates): dropped from user text.
_NOT_XML = re.compile("[^\t\n\r\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _text(value: str) -> str:
    return escape(_NOT_XML.sub("", str(value)))


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{_text(text)}</w:t></w:r>'


def _para(text: str, style: str | None = None, align: str | None = None, indent: bool = False) -> str:
    props = []
    if style:
        props.append(f'<w:pStyle w:val="{style}"/>')
    if align:
        props.append(f'<w:jc w:val="{align}"/>')
    if indent:
        props.append('<w:ind w:firstLineChars="200" w:firstLine="640"/>')
    ppr = f"<w:pPr>{''.join(props)}</w:pPr>" if props else ""
    return f"<w:p>{ppr}{_run(text) if text else ''}</w:p>"


def document_xml(draft: dict) -> str:
    """draft: {"mark", "title", "to", "paragraphs", "sender", "date", "note"} (decision/documents/drafts.py)."""
    parts = [_para(draft["mark"], "DraftMark")]
    parts.append(_para(draft["title"], "DocTitle", "center"))
    parts.append(_para(""))
    if draft.get("to"):
        parts.append(_para(f"{draft['to']}："))
    parts += [_para(text, indent=True) for text in draft["paragraphs"]]
    parts.append(_para(""))
    parts.append(_para(draft["sender"], align="right"))
    parts.append(_para(draft["date"], align="right"))
    if draft.get("note"):
        parts.append(_para(""))
        parts.append(_para(draft["note"], "Note", indent=True))
    sect = (
        '<w:sectPr><w:footerReference w:type="default" r:id="rIdFooter"/>'
        '<w:pgSz w:w="11906" w:h="16838"/>'
        f'<w:pgMar w:top="{round(37 * MM)}" w:right="{round(26 * MM)}" w:bottom="{round(35 * MM)}" '
        f'w:left="{round(28 * MM)}" w:header="851" w:footer="992" w:gutter="0"/>'
        f'<w:docGrid w:type="lines" w:linePitch="{LINE}"/></w:sectPr>'
    )
    return f'{HEAD}<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body>{"".join(parts)}{sect}</w:body></w:document>'


def _fonts(east_asia: str, size_half_points: int, bold: bool = False) -> str:
    return (
        f'<w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{east_asia}" w:cs="Times New Roman"/>'
        f'{"<w:b/>" if bold else ""}<w:sz w:val="{size_half_points}"/><w:szCs w:val="{size_half_points}"/></w:rPr>'
    )


def styles_xml() -> str:
    exact = f'<w:spacing w:line="{LINE}" w:lineRule="exact"/>'
    return (
        f'{HEAD}<w:styles xmlns:w="{W_NS}">'
        f"<w:docDefaults><w:rPrDefault>{_fonts(BODY_FONT, 32)}</w:rPrDefault>"
        f'<w:pPrDefault><w:pPr><w:jc w:val="both"/>{exact}</w:pPr></w:pPrDefault></w:docDefaults>'
        '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
        '<w:style w:type="paragraph" w:styleId="DocTitle"><w:name w:val="公文标题"/><w:basedOn w:val="Normal"/>'
        f'<w:pPr><w:jc w:val="center"/><w:spacing w:line="700" w:lineRule="exact"/></w:pPr>{_fonts(TITLE_FONT, 44)}</w:style>'
        '<w:style w:type="paragraph" w:styleId="DraftMark"><w:name w:val="草稿标记"/><w:basedOn w:val="Normal"/>'
        f'<w:pPr><w:jc w:val="left"/></w:pPr>{_fonts(MARK_FONT, 24)}</w:style>'
        '<w:style w:type="paragraph" w:styleId="Note"><w:name w:val="附注"/><w:basedOn w:val="Normal"/>'
        f"{_fonts(BODY_FONT, 28)}</w:style>"
        '<w:style w:type="paragraph" w:styleId="Footer"><w:name w:val="footer"/><w:basedOn w:val="Normal"/>'
        f'<w:pPr><w:jc w:val="center"/></w:pPr>{_fonts("宋体", 28)}</w:style>'
        "</w:styles>"
    )


def settings_xml() -> str:
    return (
        f'{HEAD}<w:settings xmlns:w="{W_NS}"><w:defaultTabStop w:val="420"/>'
        '<w:characterSpacingControl w:val="compressPunctuation"/><w:compat>'
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" w:val="15"/>'
        "</w:compat></w:settings>"
    )


def font_table_xml() -> str:
    fonts = "".join(
        f'<w:font w:name="{name}"><w:altName w:val="{alt}"/><w:charset w:val="86"/><w:family w:val="auto"/></w:font>'
        for name, alt in FALLBACK.items()
    )
    return f'{HEAD}<w:fonts xmlns:w="{W_NS}">{fonts}<w:font w:name="Times New Roman"><w:family w:val="roman"/></w:font></w:fonts>'


def footer_xml() -> str:
    return (
        f'{HEAD}<w:ftr xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:p><w:pPr><w:pStyle w:val="Footer"/></w:pPr>'
        f'{_run("— ")}<w:fldSimple w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>{_run(" —")}</w:p></w:ftr>'
    )


def content_types_xml() -> str:
    over = {
        "/word/document.xml": f"{CT_WML}.document.main+xml",
        "/word/styles.xml": f"{CT_WML}.styles+xml",
        "/word/settings.xml": f"{CT_WML}.settings+xml",
        "/word/fontTable.xml": f"{CT_WML}.fontTable+xml",
        "/word/footer1.xml": f"{CT_WML}.footer+xml",
        "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
        "/docProps/app.xml": "application/vnd.openxmlformats-officedocument.extended-properties+xml",
    }
    items = "".join(f'<Override PartName="{k}" ContentType="{v}"/>' for k, v in over.items())
    return (
        f'{HEAD}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{items}</Types>'
    )


def _rels(items: list[tuple[str, str, str]]) -> str:
    rels = "".join(f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in items)
    return f'{HEAD}<Relationships xmlns="{PKG_REL}">{rels}</Relationships>'


def core_xml(title: str, created: str) -> str:
    return (
        f'{HEAD}<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
        'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
        'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        f"<dc:title>{_text(title)}</dc:title><dc:creator>处置向导（草稿）</dc:creator>"
        f'<dcterms:created xsi:type="dcterms:W3CDTF">{created}T00:00:00Z</dcterms:created>'
        f'<dcterms:modified xsi:type="dcterms:W3CDTF">{created}T00:00:00Z</dcterms:modified>'
        "</cp:coreProperties>"
    )


def app_xml() -> str:
    return (
        f'{HEAD}<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
        "<Application>Microsoft Office Word</Application><DocSecurity>0</DocSecurity></Properties>"
    )


def docx_bytes(draft: dict, created: str = "2017-02-03") -> bytes:
    """The .docx file of one draft.  `created`: YYYY-MM-DD for the file's properties."""
    parts = [
        ("[Content_Types].xml", content_types_xml()),
        (
            "_rels/.rels",
            _rels(
                [
                    ("rId1", f"{DOC_REL}/officeDocument", "word/document.xml"),
                    ("rId2", f"{PKG_REL}/metadata/core-properties", "docProps/core.xml"),
                    ("rId3", f"{DOC_REL}/extended-properties", "docProps/app.xml"),
                ]
            ),
        ),
        ("word/document.xml", document_xml(draft)),
        (
            "word/_rels/document.xml.rels",
            _rels(
                [
                    ("rId1", f"{DOC_REL}/styles", "styles.xml"),
                    ("rId2", f"{DOC_REL}/settings", "settings.xml"),
                    ("rId3", f"{DOC_REL}/fontTable", "fontTable.xml"),
                    ("rIdFooter", f"{DOC_REL}/footer", "footer1.xml"),
                ]
            ),
        ),
        ("word/styles.xml", styles_xml()),
        ("word/settings.xml", settings_xml()),
        ("word/fontTable.xml", font_table_xml()),
        ("word/footer1.xml", footer_xml()),
        ("docProps/core.xml", core_xml(draft["title"], created)),
        ("docProps/app.xml", app_xml()),
    ]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, text.encode("utf-8"))
    return buffer.getvalue()
