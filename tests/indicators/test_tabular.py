"""Reading import files, and refusing hostile ones before any parser sees them.

The hostile files are built here, small on disk: a 2 KB workbook whose dimension and last cell
claim XFD1048576 (a reader allocating that rectangle asks for 512 GB), and a 3 MB workbook whose
sheet unpacks to 1 GB of rows. The first tests read them in a child process with its memory capped, so
that a reader that does allocate fails the test instead of taking the test run down.
"""

import os
import struct
import subprocess
import sys
import zlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

import yuanqu
from tests import factories
from yuanqu.core.models import Place
from yuanqu.indicators.models import EnterpriseMonth
from yuanqu.indicators.tabular import FileLimits, UnreadableFile, column_number, read_table

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
CONTENT_TYPES = (
    f'<?xml version="1.0" encoding="UTF-8"?><Types xmlns="{PACKAGE}/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
PACKAGE_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
WORKBOOK = (
    f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{MAIN}" xmlns:r="{RELATIONSHIPS}">'
    '<sheets><sheet name="数据" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
WORKBOOK_RELS = (
    f'<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONSHIPS}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
HEADER_ROW = '<row r="1"><c r="A1" t="inlineStr"><is><t>项目</t></is></c><c r="B1"><v>1</v></c></row>'


def sheet(rows: str, *, dimension: str = "") -> bytes:
    dimension_element = f'<dimension ref="{dimension}"/>' if dimension else ""
    head = f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{MAIN}">{dimension_element}'
    return f"{head}<sheetData>{rows}</sheetData></worksheet>".encode()


# -- writing a zip by hand, so that a part can be a deflate stream built cheaply -------------


def deflated(data: bytes) -> tuple[bytes, int, int]:
    """(raw deflate stream, size, CRC-32) of some bytes."""
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return packer.compress(data) + packer.flush(), len(data), zlib.crc32(data)


def deflated_repeat(block: bytes, times: int) -> tuple[bytes, int, int]:
    """A deflate stream of ``block`` repeated ``times`` times without compressing all of it.

    A full flush ends the block's compressed bytes without reference to anything before or
    after them, so they can simply be repeated.
    """
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    copy = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    checksum = 0
    for _ in range(times):
        checksum = zlib.crc32(block, checksum)
    return copy * times + packer.flush(), len(block) * times, checksum


def zip_of(parts: dict[str, tuple[bytes, int, int]], *, stated_sizes: dict[str, int] | None = None) -> bytes:
    """A zip of deflated parts; ``stated_sizes`` makes the directory lie about a part's size."""
    body, directory = b"", b""
    for name, (packed, size, checksum) in parts.items():
        stated = (stated_sizes or {}).get(name, size)
        encoded = name.encode()
        fields = struct.pack("<HHHHHLLLHH", 20, 0, 8, 0, 0, checksum, len(packed), stated, len(encoded), 0)
        directory += (
            b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHLL", 0, 0, 0, 0, len(body)) + encoded
        )
        body += b"PK\x03\x04" + fields + encoded + packed
    end = b"PK\x05\x06" + struct.pack("<HHHHLLH", 0, 0, len(parts), len(parts), len(directory), len(body), 0)
    return body + directory + end


def workbook(worksheet: tuple[bytes, int, int], **extra: tuple[bytes, int, int]) -> bytes:
    return zip_of(
        {
            "[Content_Types].xml": deflated(CONTENT_TYPES.encode()),
            "_rels/.rels": deflated(PACKAGE_RELS.encode()),
            "xl/workbook.xml": deflated(WORKBOOK.encode()),
            "xl/_rels/workbook.xml.rels": deflated(WORKBOOK_RELS.encode()),
            "xl/worksheets/sheet1.xml": worksheet,
            **extra,
        }
    )


def far_cell_bomb() -> bytes:
    """2 KB: a dimension and a last cell at XFD1048576, 16,384 columns × 1,048,576 rows."""
    rows = HEADER_ROW + '<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>'
    return workbook(deflated(sheet(rows, dimension="A1:XFD1048576")))


def gigabyte_bomb() -> bytes:
    """About 3 MB on disk; its sheet unpacks to 1 GB: 41 million rows of one cell each."""
    head = sheet(HEADER_ROW).split(b"</sheetData>")[0]
    tail = b"</sheetData></worksheet>"
    row = b"<row><c><v>1</v></c></row>"  # without addresses: each row is the one after the last
    block = row * ((1 << 20) // len(row))
    # Compressed once and repeated (see deflated_repeat) rather than compressing 1 GB.
    packer = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    start = packer.compress(head) + packer.flush(zlib.Z_FULL_FLUSH)
    copy = packer.compress(block) + packer.flush(zlib.Z_FULL_FLUSH)
    stream = start + copy * 1024 + packer.compress(tail) + packer.flush()
    checksum = zlib.crc32(head)
    for _ in range(1024):
        checksum = zlib.crc32(block, checksum)
    checksum = zlib.crc32(tail, checksum)
    return workbook((stream, len(head) + len(block) * 1024 + len(tail), checksum))


CHILD = """
import resource, sys
resource.setrlimit(resource.RLIMIT_AS, (3 << 30, 3 << 30))
from yuanqu.indicators.tabular import UnreadableFile, read_table
try:
    table = read_table(sys.argv[1])
except UnreadableFile as exc:
    print("refused:", exc)
else:
    print("read", len(table.rows))
"""


def read_in_a_child(path: Path) -> subprocess.CompletedProcess[str]:
    """read_table in another process with 3 GB of address space at most."""
    source = str(Path(yuanqu.__file__).resolve().parent.parent)
    environment = {**os.environ, "PYTHONPATH": source}
    environment.pop("DJANGO_SETTINGS_MODULE", None)  # the default limits, without settings
    return subprocess.run(
        [sys.executable, "-c", CHILD, str(path)], capture_output=True, text=True, env=environment, timeout=120
    )


def test_it_refuses_a_small_file_whose_sheet_reaches_xfd1048576(tmp_path: Path) -> None:
    path = tmp_path / "far.xlsx"
    path.write_bytes(far_cell_bomb())
    assert path.stat().st_size < 3_000
    child = read_in_a_child(path)
    assert child.returncode == 0, child.stderr[-500:]
    assert child.stdout.startswith("refused: far.xlsx：工作表声明的范围 A1:XFD1048576 过大")
    assert "上限为300000行、200列、4000000个单元格" in child.stdout


def test_it_refuses_a_file_that_unpacks_to_a_gigabyte(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(gigabyte_bomb())
    assert path.stat().st_size < 4_000_000
    child = read_in_a_child(path)
    assert child.returncode == 0, child.stderr[-500:]
    assert child.stdout.strip() == "refused: bomb.xlsx：文件解压后有1024MB，超过300MB的上限；请分成几个文件导入"


# -- each limit, named in the message ---------------------------------------------------------


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def refusal(path: Path, limits: FileLimits | None = None) -> str:
    with pytest.raises(UnreadableFile) as refused:
        read_table(path, limits=limits)
    return str(refused.value)


def test_a_cell_beyond_the_last_column_is_refused_even_without_a_dimension(tmp_path: Path) -> None:
    rows = HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></c><c r="HA2"><v>1</v></c></row>'  # HA is column 209
    path = write(tmp_path, "wide.xlsx", workbook(deflated(sheet(rows))))
    assert refusal(path) == (
        "wide.xlsx：工作表用到第2行、第209列，上限为300000行、200列、4000000个单元格；请分成几个文件导入"
    )


def test_the_rectangle_the_cells_span_counts_not_only_the_cells_written(tmp_path: Path) -> None:
    # Two cells, but from A1 to E900 the reader would allocate 4,500 cells.
    rows = '<row r="1"><c r="A1"><v>1</v></c></row><row r="900"><c r="E900"><v>1</v></c></row>'
    path = write(tmp_path, "sparse.xlsx", workbook(deflated(sheet(rows))))
    message = refusal(path, FileLimits(max_cells=4_000))
    assert message.startswith("sparse.xlsx：工作表的范围有4500个单元格（2个有内容），上限为")


@pytest.mark.parametrize(
    ("cell", "why"),
    [
        ('<c r="xfd1048576"><v>1</v></c>', "lower-case letters"),
        ("<c r='XFD1048576'><v>1</v></c>", "single quotes"),
        ('<c\tr="XFD1048576"><v>1</v></c>', "a tab before the address"),
        ('<c s="0" r="XFD1048576"><v>1</v></c>', "another attribute first"),
        ('<x:c xmlns:x="urn:x" r="XFD1048576"><v>1</v></x:c>', "a namespace prefix"),
    ],
)
def test_an_address_written_unusually_is_still_found(tmp_path: Path, cell: str, why: str) -> None:
    path = write(tmp_path, "odd.xlsx", workbook(deflated(sheet(HEADER_ROW + f'<row r="2">{cell}</row>'))))
    assert "工作表用到第1048576行、第16384列" in refusal(path), why


def test_a_second_address_in_a_cell_is_refused(tmp_path: Path) -> None:
    rows = HEADER_ROW + '<row r="2"><c r="A2" r="XFD1048576"><v>1</v></c></row>'
    path = write(tmp_path, "twice.xlsx", workbook(deflated(sheet(rows))))
    assert refusal(path) == "twice.xlsx：文件内容不是有效的 XML（duplicate attribute），文件已损坏"


def test_cells_without_an_address_are_placed_as_the_reader_places_them(tmp_path: Path) -> None:
    wide = HEADER_ROW + "<row>" + "<c><v>1</v></c>" * 201 + "</row>"
    path = write(tmp_path, "wide.xlsx", workbook(deflated(sheet(wide))))
    assert "工作表用到第2行、第201列" in refusal(path)
    tall = HEADER_ROW + '<row r="299999"/><row><c><v>1</v></c></row><row><c><v>1</v></c></row>'
    path = write(tmp_path, "tall.xlsx", workbook(deflated(sheet(tall))))
    assert "工作表用到第300001行、第2列" in refusal(path)


def test_a_sheet_without_addresses_within_the_limits_is_read(tmp_path: Path) -> None:
    rows = '<row><c t="inlineStr"><is><t>指标</t></is></c><c><v>2</v></c></row>'
    rows += "<row><c><v>3</v></c><c><v>4.5</v></c></row>"
    path = write(tmp_path, "plain.xlsx", workbook(deflated(sheet(rows))))
    table = read_table(path)
    assert table.header == ["指标", "2"] and table.rows == [(2, ["3", "4.5"])]


def test_a_part_that_compresses_too_well_is_refused(tmp_path: Path) -> None:
    block = b'<row r="2"><c r="A2"><v>1</v></c></row>' * 1000
    filler = deflated_repeat(block, 100)  # 3.9 MB of rows in about 12 KB
    path = write(tmp_path, "ratio.xlsx", workbook(deflated(sheet(HEADER_ROW)), **{"xl/filler.xml": filler}))
    message = refusal(path)
    assert message.startswith("ratio.xlsx：文件中的“xl/filler.xml”压缩比为")
    assert "超过100:1的上限" in message


def test_a_part_larger_than_the_directory_says_is_refused(tmp_path: Path) -> None:
    rows = HEADER_ROW + '<row r="2"><c r="A2"><v>1</v></c></row>' * 50
    worksheet = deflated(sheet(rows))
    data = zip_of(
        {"[Content_Types].xml": deflated(CONTENT_TYPES.encode()), "xl/worksheets/sheet1.xml": worksheet},
        stated_sizes={"xl/worksheets/sheet1.xml": 300},
    )
    path = write(tmp_path, "lying.xlsx", data)
    assert refusal(path) == "lying.xlsx：文件中的“xl/worksheets/sheet1.xml”与文件目录不符，文件已损坏或被篡改"


def test_a_file_of_too_many_parts_is_refused(tmp_path: Path) -> None:
    parts = {f"xl/media/part{number}.xml": deflated(b"<x/>") for number in range(250)}
    path = write(tmp_path, "parts.xlsx", workbook(deflated(sheet(HEADER_ROW)), **parts))
    assert refusal(path) == "parts.xlsx：文件由255个部分组成，超过200个的上限，不像正常的 Excel 文件"


def test_a_csv_file_over_the_row_or_cell_limit_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "long.csv", b"a,b\n" + b"1,2\n" * 20)
    assert refusal(path, FileLimits(max_rows=20)) == "long.csv：文件有21行，超过20行的上限；请分成几个文件导入"
    path = write(tmp_path, "broad.csv", b"," * 100 + b"\n1\n")
    assert refusal(path, FileLimits(max_cells=50)).startswith("broad.csv：文件约有102个单元格，超过50个单元格的上限")


def test_binary_and_opendocument_sheets_are_refused_with_a_way_out(tmp_path: Path) -> None:
    path = write(tmp_path, "old.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100)
    assert refusal(path) == "old.xls：不接受 .xls 文件，请用 Excel 另存为 .xlsx 后重新上传"


def test_a_workbook_written_by_a_spreadsheet_program_is_read_as_before(tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    active = book.active
    assert active is not None
    active.append(["统一社会信用代码", "数值"])
    for number in range(1, 30):
        active.append([f"代码{number}", number * 1.25])
    book.save(tmp_path / "normal.xlsx")
    table = read_table(tmp_path / "normal.xlsx")
    assert len(table.rows) == 29 and table.rows[-1] == (30, ["代码29", "36.25"])


def test_column_letters_count_as_a_spreadsheet_counts_them() -> None:
    assert [column_number(letters) for letters in ["A", "Z", "AA", "GR", "XFD"]] == [1, 26, 27, 200, 16384]


# -- the refusal reaches the user: page, API and command --------------------------------------


@pytest.fixture
def zone(db: None) -> Place:
    return Place.objects.create(code="yz-etdz", name="扬州经济技术开发区", level=Place.Level.ZONE)


def test_the_import_page_shows_the_refusal_and_writes_nothing(zone: Place, settings: Settings, tmp_path: Path) -> None:
    settings.UPLOAD_DIR = tmp_path / "uploads"
    client = factories.signed_in(factories.a_statistician())
    upload = SimpleUploadedFile("bomb.xlsx", gigabyte_bomb())
    response = client.post("/imports/", {"kind": "enterprise-monthly", "zone": zone.code, "file": upload})
    assert response.status_code == 400
    assert "文件解压后有1024MB，超过300MB的上限" in response.content.decode()
    assert not EnterpriseMonth.objects.exists()


def test_the_api_answers_the_refusal_in_its_rejected_shape(zone: Place) -> None:
    client = factories.signed_in(factories.a_statistician())
    upload = SimpleUploadedFile("far.xlsx", far_cell_bomb())
    response = client.post(
        "/api/v1/imports/enterprise-monthly", {"zone": zone.code, "dry_run": "false", "file": upload}
    )
    assert response.status_code == 422
    assert response.json() == {
        "detail": "文件有 1 处错误，未写入任何数据",
        "issues": [
            {
                "row": 0,
                "column": "",
                "message": "far.xlsx：工作表声明的范围 A1:XFD1048576 过大，上限为300000行、200列、4000000个单元格",
            }
        ],
    }
    assert not EnterpriseMonth.objects.exists()


def test_the_project_ledger_import_refuses_the_same_files(zone: Place) -> None:
    client = factories.signed_in(factories.an_investment_officer())
    upload = SimpleUploadedFile("ledger.xlsx", far_cell_bomb())
    response = client.post("/api/v1/projects/ledger", {"zone": zone.code, "file": upload})
    assert response.status_code == 422
    assert "工作表声明的范围 A1:XFD1048576 过大" in response.json()["issues"][0]["message"]


def test_the_command_refuses_with_the_limit_and_a_non_zero_status(zone: Place, tmp_path: Path) -> None:
    path = write(tmp_path, "bomb.xlsx", gigabyte_bomb())
    errors = StringIO()
    with pytest.raises(CommandError, match="未写入任何数据"):
        call_command("import", "enterprise-monthly", str(path), "--zone", zone.code, stderr=errors)
    assert "bomb.xlsx：文件解压后有1024MB，超过300MB的上限" in errors.getvalue()
    assert not EnterpriseMonth.objects.exists()


def test_the_limits_are_settings(zone: Place, settings: Settings, tmp_path: Path) -> None:
    header = "统一社会信用代码,企业名称,所属期,规上,工业总产值,工业开票销售,营业收入,利润总额,税金总额,用电量\n"
    rows = "".join(
        f"{factories.enterprise_code(number)},企业{number},2023-01,是,1,1,1,1,1,1\n" for number in range(1, 6)
    )
    path = write(tmp_path, "months.csv", (header + rows).encode())
    settings.YUANQU_IMPORT_MAX_ROWS = 5
    errors = StringIO()
    with pytest.raises(CommandError):
        call_command("import", "enterprise-monthly", str(path), "--zone", zone.code, stderr=errors)
    assert "months.csv：文件有6行，超过5行的上限" in errors.getvalue()
    settings.YUANQU_IMPORT_MAX_ROWS = 6
    call_command("import", "enterprise-monthly", str(path), "--zone", zone.code, stdout=StringIO())
    assert EnterpriseMonth.objects.count() == 5
