"""Writing a report to a file: each exporter takes the report, the filters, an open binary file and a
progress callback (0–100), writes the file and returns the number of rows of the list."""

from .csv import write_csv
from .pdf import write_pdf
from .xlsx import write_xlsx

EXPORTERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf}
