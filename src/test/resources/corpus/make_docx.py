"""A Word document as python-docx writes it: headings, styles, a table, header and footer, a
comment and a text box (python-docx 0.8 has no API for the last two, so their XML is added the
way Word stores it)."""
import sys
import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import Part
from docx.oxml import parse_xml
from docx.shared import Pt

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
out = sys.argv[1]
d = docx.Document()
section = d.sections[0]
section.header.paragraphs[0].text = "Annual report of the garden club"
section.footer.paragraphs[0].text = "Printed for members only"
d.add_heading("Our first year together", level=1)
p = d.add_paragraph("The club planted ")
bold = p.add_run("forty trees")
bold.bold = True
p.add_run(" along the river in April.")
d.add_paragraph("Members met every second Sunday.", style="List Bullet")
table = d.add_table(rows=2, cols=2)
table.style = "Table Grid"
table.cell(0, 0).text = "Season"
table.cell(0, 1).text = "Trees planted"
table.cell(1, 0).text = "Spring"
table.cell(1, 1).text = "40"
small = d.add_paragraph().add_run("Thanks to every volunteer who helped.")
small.font.size = Pt(9)

# A comment on the first heading.
comments = Part(PackURI("/word/comments.xml"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.comments+xml",
    ('<w:comments %s><w:comment w:id="0" w:author="Editor" w:date="2026-01-01T00:00:00Z">'
     '<w:p><w:r><w:t>Please check the number of trees.</w:t></w:r></w:p></w:comment></w:comments>' % W).encode(),
    d.part.package)
d.part.relate_to(comments, RT.COMMENTS)
heading = d.paragraphs[0]._p
heading.insert(1, parse_xml('<w:commentRangeStart %s w:id="0"/>' % W))
heading.append(parse_xml('<w:commentRangeEnd %s w:id="0"/>' % W))
heading.append(parse_xml('<w:r %s><w:commentReference w:id="0"/></w:r>' % W))

# A text box (VML, as Word writes for compatibility).
box = d.add_paragraph()._p
box.append(parse_xml(
    '<w:r %s xmlns:v="urn:schemas-microsoft-com:vml"><w:pict><v:shape style="width:200pt;height:60pt">'
    '<v:textbox><w:txbxContent><w:p><w:r><w:t>Visit the greenhouse on Fridays.</w:t></w:r></w:p>'
    '</w:txbxContent></v:textbox></v:shape></w:pict></w:r>' % W))
d.save(out)
