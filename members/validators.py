"""Uploaded certificate scans: an image or a PDF by what the file holds, not by its name."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

MAX_SCAN_BYTES = 5 * 1024 * 1024
IMAGE_FORMATS = {"JPEG", "PNG"}


def validate_scan(upload) -> None:
    if upload.size > MAX_SCAN_BYTES:
        raise ValidationError(_("文件不能超过 5 MB。"))
    upload.seek(0)
    head = upload.read(5)
    upload.seek(0)
    if head == b"%PDF-":
        return
    try:
        with Image.open(upload) as image:
            image_format = image.format
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(_("请上传 JPG、PNG 图片或 PDF 文件。")) from exc
    finally:
        upload.seek(0)
    if image_format not in IMAGE_FORMATS:
        raise ValidationError(_("请上传 JPG、PNG 图片或 PDF 文件。"))
