"""Files people upload, as the tests need them: real PDFs and images, and hostile ones."""

from __future__ import annotations

import io
import struct
import zlib

# What a hostile upload would run in a reader's browser if it were ever shown as a page.
SCRIPT = b"<html><body><script>document.title='pwned';alert('pwned')</script></body></html>"


def pdf_bytes(comment: str = "") -> bytes:
    """A valid one-page PDF with its cross-reference table; `comment` is kept in a comment line."""
    bodies = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 200 200] >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    if comment:
        out += b"%" + comment.encode() + b"\n"
    offsets = []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def encrypted_pdf_bytes(user_password: str) -> bytes:
    """A PDF locked with `user_password` (an empty one opens without asking, as bank receipts often do)."""
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password=user_password, owner_password="owner", algorithm="RC4-128")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def image_bytes(image_format: str = "PNG", size: tuple[int, int] = (40, 30), **save) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 210, 220)).save(buffer, format=image_format, **save)
    return buffer.getvalue()


def jpeg_with_exif() -> bytes:
    """A phone photo: JPEG with EXIF, GPS position and camera included."""
    from PIL import Image

    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif[0x0110] = "SecretPhone 12"  # Model
    exif[0x8825] = {1: "N", 2: (38.0, 54.0, 50.0), 3: "E", 4: (121.0, 36.0, 10.0)}  # GPS
    return image_bytes("JPEG", exif=exif.tobytes())


def mpo_bytes() -> bytes:
    """What many phones save as .jpg: a JPEG with a second picture after it (Pillow reads it as MPO)."""
    from PIL import Image

    buffer = io.BytesIO()
    first, second = Image.new("RGB", (40, 30), (200, 0, 0)), Image.new("RGB", (40, 30), (0, 0, 200))
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    return buffer.getvalue()


def png_bomb(width: int = 30_000, height: int = 30_000) -> bytes:
    """A real decompression bomb: a black one-bit PNG of width × height pixels in a few hundred kB."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" * (1 + (width + 7) // 8)  # filter byte, then the packed bits
    packer = zlib.compressobj(9)
    compressed = b"".join(packer.compress(row * 1000) for _ in range(height // 1000))
    compressed += packer.compress(row * (height % 1000)) + packer.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", compressed) + chunk(b"IEND", b"")


PDF = pdf_bytes()
PNG = image_bytes("PNG")
JPEG = image_bytes("JPEG")
# HTML that starts like a PDF: what today's check let through, under the uploader's .html name.
HTML_BEHIND_PDF_HEADER = b"%PDF-1.4\n" + SCRIPT + b"\n"
# A real PNG or PDF with a page appended after its end.
PNG_WITH_HTML = PNG + SCRIPT
PDF_WITH_HTML = PDF + SCRIPT
