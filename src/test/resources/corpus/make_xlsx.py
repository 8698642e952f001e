"""A workbook as openpyxl (and so pandas) writes it: inline strings, numbers, formulas, a cell
comment and a bar chart with a title and axis titles."""
import sys
import openpyxl
from openpyxl.chart import BarChart, Reference
from openpyxl.comments import Comment

out = sys.argv[1]
wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Harvest"
ws.append(["Vegetable", "Kilograms", "Share"])
ws.append(["Green beans", 12.5, "=B2/B4"])
ws.append(["Red tomatoes", 30, "=B3/B4"])
ws.append(["Total weight", "=SUM(B2:B3)", None])
ws["A2"].comment = Comment("Picked by the school children", "Editor")
chart = BarChart()
chart.title = "Harvest by vegetable"
chart.x_axis.title = "Vegetable"
chart.y_axis.title = "Weight in kilograms"
chart.add_data(Reference(ws, min_col=2, min_row=1, max_row=3), titles_from_data=True)
chart.set_categories(Reference(ws, min_col=1, min_row=2, max_row=3))
ws.add_chart(chart, "E2")
notes = wb.create_sheet("Notes")
notes["A1"] = "Weigh everything on the same scale."
wb.save(out)
