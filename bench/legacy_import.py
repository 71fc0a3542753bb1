"""Speed of a roster from an old office (issue 17): N militia rows typed in TCVN3 with .VnTime cells, read
and converted to Unicode (`portal_io.reading`), then uploaded through the import page and previewed as a
commune officer would (read, convert, plan every row against the records, store, show the preview).

    DATABASE_URL=sqlite:////tmp/demo.sqlite3 .venv/bin/python bench/legacy_import.py --rows 20000

Runs on a demo database (`make run`'s, or any seeded with `seed_demo`): it signs in as the demo commune
officer `vinhquang` and writes nothing (the import is not confirmed)."""

import argparse
import datetime
import io
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baolam_portal.settings.dev")


def workbook(rows):
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from militia.io.columns import MEMBERS, columns_of
    from portal_io import legacy

    columns = columns_of(MEMBERS)
    header = [c.header for c in columns]
    font = Font(name=".VnTime")
    book = Workbook(write_only=True)
    sheet = book.create_sheet()
    sheet.append([legacy.encode(h, legacy.TCVN3) for h in header])
    first = ["Nguyễn", "Hoàng", "Lò", "Đặng", "Triệu", "Vàng", "Lý", "Nông"]
    middle = ["Văn", "Thị", "Seo", "Đức", "Mạnh", "Quốc"]
    last = ["Đức", "Hương", "Mười", "Páo", "Ánh", "Khải", "Nhập", "Ước", "Sình", "Tài"]
    for n in range(rows):
        birth = datetime.date(1985, 1, 1) + datetime.timedelta(days=n % 6000)
        values = {
            "Họ và tên": f"{first[n % 8]} {middle[n % 6]} {last[n % 10].lower()} {n}",
            "Số CCCD": f"0042{birth.year % 100:02d}{n:06d}",
            "Ngày sinh": birth.strftime("%d/%m/%Y"),
            "Giới tính": "Nam",
            "Dân tộc": "Tày",
            "Thôn/xóm": "Nà Đoỏng",
            "Xã/thị trấn": "Vĩnh Quang",
            "Loại hình": "Dân quân tự vệ tại chỗ",
            "Nòng cốt": "Có",
            "Trung đội": "1",
            "Tiểu đội": "2",
            "Chức vụ": "Chiến sĩ",
            "Ngày vào": "15/01/2024",
        }
        row = []
        for h in header:
            value = values.get(h)
            if value is None:
                row.append(None)
                continue
            from openpyxl.cell import WriteOnlyCell

            cell = WriteOnlyCell(sheet, value=legacy.encode(value, legacy.TCVN3))
            cell.font = font
            row.append(cell)
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), columns


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client
    from django.urls import reverse

    from portal_io import reading

    data, columns = workbook(args.rows)
    print(f"{args.rows} TCVN3 rows, {len(data) // 1024} KiB")
    start = time.perf_counter()
    parsed = reading.read_bytes(data, columns)
    read = time.perf_counter() - start
    name = parsed.rows[0][1][0]
    print(f"read and converted in {read:.1f} s: first name {name!r}, converted columns {sorted(parsed.encodings)}")
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(get_user_model().objects.get(username="vinhquang"))
    start = time.perf_counter()
    response = client.post(
        reverse("militia:import", kwargs={"roster": "members"}),
        {"file": SimpleUploadedFile("danh-sach-cu.xlsx", data), "encoding": "auto"},
    )
    uploaded = time.perf_counter() - start
    if response.status_code != 302:
        sys.exit(f"upload answered {response.status_code}")
    start = time.perf_counter()
    page = client.get(response["Location"])
    previewed = time.perf_counter() - start
    converted = "converted-columns" in page.content.decode()
    print(
        f"upload (read, convert, plan {args.rows} rows, store) {uploaded:.1f} s; preview page {previewed:.1f} s; "
        f"total {uploaded + previewed:.1f} s; conversion shown: {converted}; load {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
