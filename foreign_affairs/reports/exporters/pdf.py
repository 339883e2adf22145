"""PDF (being written): cover, contents, summary and charts by WeasyPrint, the list by ReportLab."""


def write_pdf(definition, filters, out, progress) -> int:
    raise NotImplementedError("The PDF export is being written.")
