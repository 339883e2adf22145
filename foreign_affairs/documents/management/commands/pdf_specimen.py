import time
from pathlib import Path

from django.core.management.base import BaseCommand

from foreign_affairs.documents.pdf import render_pdf
from foreign_affairs.documents.qr import qr_svg_data_uri


def specimen_context() -> dict:
    """A one-page document in the house style: Chinese and Latin text, a table and a QR code."""
    return {
        "title": "出国任务批件 Permit for Official Travel Abroad",
        "organization": "郑州示范贸易有限公司 Zhengzhou Demo Trading Co., Ltd.",
        "reference": "HNFA-2026-000123",
        "qr": qr_svg_data_uri("https://portal.example/verify/7QK2-M9XR/"),
        "rows": [
            ("张伟 ZHANG WEI", "总经理", "*****4501"),
            ("李娜 LI NA", "外事联络员", "*****4502"),
            ("孙强 SUN QIANG", "国际业务部经理", "*****4321"),
        ],
    }


class Command(BaseCommand):
    help = "Render the PDF specimen (Chinese text, a table, a QR code) to check fonts and WeasyPrint on this server."

    def add_arguments(self, parser):
        parser.add_argument("output", nargs="?", default="specimen.pdf", help="Where to write the PDF.")

    def handle(self, *args, output, **options):
        started = time.perf_counter()
        pdf = render_pdf("documents/pdf_sample.html", specimen_context())
        Path(output).write_bytes(pdf)
        self.stdout.write(
            f"Wrote {output} ({len(pdf)} bytes) in {(time.perf_counter() - started) * 1000:.0f} ms."
        )
