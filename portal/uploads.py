"""Files people upload are data, never pages.

Every upload is verified whole by what it holds, whatever its name says: an image must decode
completely with Pillow (and is then re-encoded, which drops anything appended to it and its
metadata), a PDF must parse with pypdf and end at its last ``%%EOF``. What is kept is the clean copy,
under a generated name with the extension of its type; the uploader's file name is never stored.
Private files are served by ``portal.files``, with their type read from the same signatures.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from PIL import ExifTags, Image, ImageOps, JpegImagePlugin, UnidentifiedImageError
from pypdf import PasswordType, PdfReader

from portal.files import EXTENSIONS, JPEG, PDF, PNG, detected_type

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
# What a file picker offers for a scan of a certificate or a bank slip.
SCAN_ACCEPT = {"accept": "image/jpeg,image/png,application/pdf"}
# A phone photo or an A4 page scanned at 600 dpi fits; decoding this many pixels takes ~150 MB.
MAX_IMAGE_PIXELS = 50_000_000

IMAGE_TYPES = frozenset({JPEG, PNG})
SCAN_TYPES = IMAGE_TYPES | {PDF}
# The Pillow decoders tried, and what they may read; phones write JPEGs that Pillow reads as MPO.
PILLOW_DECODERS = ["JPEG", "PNG"]
PILLOW_FORMATS = {"JPEG": JPEG, "MPO": JPEG, "PNG": PNG}
# What PDF counts as white space (ISO 32000-1, 7.2.2): all that may follow the last %%EOF.
PDF_WHITESPACE = b"\x00\t\n\x0c\r "

TOO_LARGE = _("文件不能超过 5 MB。")
NOT_A_SCAN = _("请上传 JPG、PNG 图片或 PDF 文件。")
TOO_MANY_PIXELS = _("图片尺寸过大（超过 5000 万像素），请缩小后再上传。")
DAMAGED_IMAGE = _("图片已损坏或不完整，请重新保存后再上传。")
DAMAGED_PDF = _("PDF 文件已损坏或格式不正确，请重新导出后再上传。")
AFTER_THE_END = _("PDF 文件的结尾之后还有其他内容，请重新导出后再上传。")
LOCKED_PDF = _("PDF 文件设有打开密码，请上传未加密的文件。")


def verified_upload(
    upload, *, types=SCAN_TYPES, too_large=TOO_LARGE, wrong_type=NOT_A_SCAN, max_bytes: int = MAX_UPLOAD_BYTES
) -> SimpleUploadedFile:
    """The clean copy of `upload` to keep in its place, or a ValidationError saying why it is refused."""
    if upload.size > max_bytes:
        raise ValidationError(too_large, code="too_large")
    upload.seek(0)
    data = upload.read(max_bytes + 1)
    upload.seek(0)
    if len(data) > max_bytes:
        raise ValidationError(too_large, code="too_large")
    content_type = detected_type(data)
    if content_type is None or content_type not in types:
        raise ValidationError(wrong_type, code="wrong_type")
    if content_type == PDF:
        data = _verified_pdf(data)
    else:
        data = _reencoded_image(data, wrong_type)
    name = f"{uuid.uuid4().hex}.{EXTENSIONS[content_type]}"
    return SimpleUploadedFile(name, data, content_type=content_type)


def _verified_pdf(data: bytes) -> bytes:
    end = data.rfind(b"%%EOF")
    if end < 0:
        raise ValidationError(DAMAGED_PDF, code="damaged")
    if data[end + len(b"%%EOF") :].strip(PDF_WHITESPACE):
        raise ValidationError(AFTER_THE_END, code="after_the_end")
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise ValidationError(LOCKED_PDF, code="locked")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception as exc:  # noqa: BLE001 - whatever a broken file makes the parser raise is a refusal
        raise ValidationError(DAMAGED_PDF, code="damaged") from exc
    if pages < 1:
        raise ValidationError(DAMAGED_PDF, code="damaged")
    return data


def _reencoded_image(data: bytes, wrong_type) -> bytes:
    """The image decoded whole and written again in its own format, without metadata or anything appended."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=PILLOW_DECODERS) as probe:
                content_type = PILLOW_FORMATS[probe.format or ""]
                width, height = probe.size
                if width * height > MAX_IMAGE_PIXELS:
                    raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels")
                probe.verify()
            with Image.open(io.BytesIO(data), formats=PILLOW_DECODERS) as image:
                image.load()
                return _encoded(image, content_type)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(TOO_MANY_PIXELS, code="too_many_pixels") from exc
    except UnidentifiedImageError as exc:
        raise ValidationError(wrong_type, code="wrong_type") from exc
    except Exception as exc:  # noqa: BLE001 - truncated, corrupt or hostile data is a refusal, never a 500
        raise ValidationError(DAMAGED_IMAGE, code="damaged") from exc


def _encoded(image: Image.Image, content_type: str) -> bytes:
    transparency = image.info.get("transparency")
    if image.getexif().get(ExifTags.Base.Orientation, 1) != 1:
        image = ImageOps.exif_transpose(image)  # the orientation goes with the rest of the metadata
    image.info = {}
    buffer = io.BytesIO()
    if content_type == PNG:
        image.save(buffer, format="PNG", **({"transparency": transparency} if transparency is not None else {}))
    elif isinstance(image, JpegImagePlugin.JpegImageFile) and image.format == "JPEG":
        image.save(buffer, format="JPEG", quality="keep")  # its own quantisation: no loss beyond the original's
    else:
        image = image if image.mode in ("L", "RGB", "CMYK") else image.convert("RGB")
        image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


class UploadField(forms.FileField):
    """A file field whose new uploads are verified whole and replaced by their clean copy in
    cleaned_data (a file already kept, or clearing it, passes through as with Django's FileField)."""

    types = SCAN_TYPES
    too_large = TOO_LARGE
    wrong_type = NOT_A_SCAN

    def clean(self, data, initial=None):
        value = super().clean(data, initial)
        if isinstance(value, UploadedFile):
            value = verified_upload(value, types=self.types, too_large=self.too_large, wrong_type=self.wrong_type)
        return value


class PhotoField(UploadField):
    types = IMAGE_TYPES
    too_large = _("照片不能超过 5 MB。")
    wrong_type = _("请上传 JPG 或 PNG 格式的照片。")


class PrivateFileInput(forms.ClearableFileInput):
    """The file input of a file kept in private storage: what is kept shows as a link to the view
    that checks who asks, with neutral words (the storage has no URL, and the kept name is nobody's business)."""

    # Django's own widget sets these lazily translated too; the stubs type them as str.
    initial_text = _("已上传的文件：")  # type: ignore[assignment]
    link_text = _("查看")
    input_text = _("重新上传：")  # type: ignore[assignment]

    def __init__(self, attrs=None, *, url: str = "", initial_text=None, link_text=None):
        super().__init__(attrs)
        self.url = url
        if initial_text is not None:
            self.initial_text = initial_text
        if link_text is not None:
            self.link_text = link_text

    def is_initial(self, value) -> bool:
        return bool(value) and not isinstance(value, UploadedFile) and bool(self.url)

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        file_input = forms.FileInput(self.attrs).render(name, None, attrs, renderer)
        if not widget["is_initial"]:
            return file_input
        parts = [
            format_html(
                '<span class="field__current">{}<a href="{}" target="_blank" rel="noopener">{}</a></span>',
                self.initial_text,
                self.url,
                self.link_text,
            )
        ]
        if not widget["required"]:
            parts.append(
                format_html(
                    '<span class="field__clear"><input type="checkbox" name="{}" id="{}">'
                    '<label for="{}">{}</label></span>',
                    widget["checkbox_name"],
                    widget["checkbox_id"],
                    widget["checkbox_id"],
                    widget["clear_checkbox_label"],
                )
            )
        parts.append(format_html('<span class="field__replace">{}{}</span>', self.input_text, file_input))
        return mark_safe("".join(parts))  # noqa: S308 - every part is built by format_html
