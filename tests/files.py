"""Real files for upload tests, built here: PDFs written by reportlab and pypdf (an encrypted one
too), JPEG and PNG pictures written by Pillow (a phone photo with its EXIF GPS position and
orientation), and broken ones made from them."""
import io

from PIL import Image
from pypdf import PdfReader, PdfWriter
from reportlab.pdfgen import canvas

# EXIF tags: where the picture was taken and which way up the camera was held.
GPS_IFD = 0x8825
ORIENTATION = 0x0112
GPS_LATITUDE_REF, GPS_LATITUDE, GPS_LONGITUDE_REF, GPS_LONGITUDE = 1, 2, 3, 4
ROTATED_90 = 6  # "rotate 90° clockwise to view": the sensor's picture is on its side


def pdf(text="Identity card", pages=1):
    """A PDF of `pages` A6 pages, each with a line of text."""
    out = io.BytesIO()
    document = canvas.Canvas(out, pagesize=(298, 420), invariant=True)
    for number in range(1, pages + 1):
        document.drawString(30, 380, f"{text} {number}")
        document.showPage()
    document.save()
    return out.getvalue()


def encrypted_pdf(password="secret"):
    """A PDF that opens only with `password`."""
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf())))
    writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def picture(kind="jpeg", size=(40, 30), gps=False, orientation=None, colour=(200, 40, 40)):
    """A JPEG or PNG of one colour, with a dark top-left quarter (to tell which way is up);
    `gps` adds an EXIF GPS position (Almaty), `orientation` the EXIF orientation tag."""
    image = Image.new("RGB", size, colour)
    image.paste((0, 0, 0), (0, 0, size[0] // 2, size[1] // 2))
    exif = Image.Exif()
    if gps:
        exif.get_ifd(GPS_IFD).update({
            GPS_LATITUDE_REF: "N", GPS_LATITUDE: (43.0, 15.0, 20.0),
            GPS_LONGITUDE_REF: "E", GPS_LONGITUDE: (76.0, 56.0, 45.0),
        })
    if orientation:
        exif[ORIENTATION] = orientation
    out = io.BytesIO()
    image.save(out, "JPEG" if kind == "jpeg" else "PNG", **({"exif": exif.tobytes()} if gps or orientation else {}))
    return out.getvalue()


def exif_of(data):
    """The EXIF of a picture as a dict, with its GPS part (empty when there is none)."""
    with Image.open(io.BytesIO(data)) as image:
        exif = image.getexif()
        return dict(exif), dict(exif.get_ifd(GPS_IFD)), image.info


def size_of(data):
    with Image.open(io.BytesIO(data)) as image:
        return image.size
