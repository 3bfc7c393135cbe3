"""Small real documents for the generated applications, fast enough for a few hundred thousand: a
one-page PDF written by hand (pypdf reads it, as app.storage's check does) and a JPEG photo of an
identity card drawn with Pillow. Every file differs (it names its application), so no two
applications share a document hash."""
import hashlib
import io
from dataclasses import dataclass

from PIL import Image, ImageDraw


def pdf(title, lines, scan=None):
    """A one-page A4 PDF with `title` and `lines` (ASCII text) in Helvetica, as bytes; over a
    scanned page when `scan` (a Scan) is given."""
    text = ["BT /F1 16 Tf 72 770 Td", f"({_escaped(title)}) Tj", "/F1 11 Tf"]
    for line in lines:
        text += ["0 -22 Td", f"({_escaped(line)}) Tj"]
    stream = "\n".join((["q 595 0 0 842 0 0 cm /Im1 Do Q"] if scan else []) + text + ["ET"]).encode("ascii")
    image = b""
    if scan:
        image = b"/XObject<</Im1 6 0 R>>"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Resources<</Font<</F1 4 0 R>>%s>>/Contents 5 0 R>>" % image,
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>\nstream\n%s\nendstream" % (len(stream), stream),
    ]
    if scan:
        objects.append(b"<</Type/XObject/Subtype/Image/Width %d/Height %d/ColorSpace/DeviceGray/BitsPerComponent 8"
                       b"/Filter/DCTDecode/Length %d>>\nstream\n%s\nendstream"
                       % (scan.width, scan.height, len(scan.jpeg), scan.jpeg))
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


@dataclass(frozen=True)
class Scan:
    """A grey A4 page scanned at 200 dpi, as JPEG bytes: about a megabyte, as a phone's scan app makes."""

    jpeg: bytes
    width: int
    height: int


def scan(width=1654, height=2339):
    page = Image.effect_noise((width, height), 40).point(lambda value: 255 - value // 3)
    out = io.BytesIO()
    page.save(out, "JPEG", quality=80)
    return Scan(out.getvalue(), width, height)


def phone_photo(width=1600, height=1200):
    """A colour photo as a phone takes it, as JPEG bytes: about a megabyte."""
    photo = Image.merge("RGB", [Image.effect_noise((width, height), 30) for _ in range(3)])
    out = io.BytesIO()
    photo.save(out, "JPEG", quality=85)
    return out.getvalue()


def with_comment(jpeg, text):
    """The JPEG with a comment segment naming `text` after its start: the same picture, other bytes."""
    comment = text.encode("utf-8")[:60000]
    return jpeg[:2] + b"\xff\xfe" + (len(comment) + 2).to_bytes(2, "big") + comment + jpeg[2:]


def _escaped(text):
    return text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)").encode("ascii", "replace").decode()


def identity_photo(number, iin, seed):
    """A small JPEG "photo" of an identity card naming application `number` and `iin`."""
    shade = 170 + seed % 60
    image = Image.new("RGB", (240, 150), (shade, 200, 215))
    draw = ImageDraw.Draw(image)
    draw.rectangle((12, 14, 70, 96), fill=(120 + seed % 80, 110, 100))
    draw.text((82, 18), "IDENTITY CARD", fill=(20, 20, 60))
    draw.text((82, 40), f"IIN {iin}", fill=(0, 0, 0))
    draw.text((82, 60), number, fill=(0, 0, 0))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def sha256(data):
    return hashlib.sha256(data).hexdigest()
