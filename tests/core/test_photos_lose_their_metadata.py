"""A photo's container is walked and only what makes the picture is kept (core.images): no EXIF (camera, time, GPS
position), XMP, IPTC, comments, text chunks or trailing data; the same pixels; the ICC profile; the orientation
when it turns the picture. An image with nothing to drop comes back as the same bytes. A container cut short is
refused. (An officer's upload through the office form: tests/registry/test_office_photos_are_stored_without_gps.)"""

import io

import pytest
from PIL import Image, ImageCms
from PIL.PngImagePlugin import PngInfo

from core.images import Damaged, without_metadata
from tests.base import image_bytes

SECRET = "Canon EOS R5 SN-4711"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">Canon EOS R5 SN-4711</x:xmpmeta>'
SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()


def camera_exif(orientation: int = 6) -> Image.Exif:
    exif = Image.Exif()
    exif[0x010F], exif[0x0110], exif[0x0132] = "Canon", SECRET, "2026:11:20 10:00:00"
    exif[0x0112] = orientation
    exif[0x8825] = {1: "N", 2: (28.0, 1.0, 30.0), 3: "E", 4: (120.0, 39.0, 10.0)}  # GPS: where it was taken
    return exif


def texts() -> PngInfo:
    info = PngInfo()
    info.add_text("Comment", SECRET)
    info.add_itxt("XML:com.adobe.xmp", XMP.decode())
    return info


MADE = {
    "JPEG": {"exif": camera_exif(), "icc_profile": SRGB, "comment": SECRET.encode(), "xmp": XMP},
    "PNG": {"exif": camera_exif(), "icc_profile": SRGB, "pnginfo": texts()},
    "WEBP": {"exif": camera_exif(), "icc_profile": SRGB, "xmp": XMP, "lossless": True},
    "GIF": {"comment": SECRET.encode()},
}


def read(data: bytes) -> Image.Image:
    picture = Image.open(io.BytesIO(data))
    picture.load()
    return picture


@pytest.mark.parametrize("kind", MADE)
def test_a_photo_keeps_its_pixels_profile_and_orientation_and_nothing_else(kind):
    original = image_bytes(kind, seed=3, size=(24, 16), **MADE[kind])
    assert SECRET.encode() in original
    clean = without_metadata(original)
    assert SECRET.encode() not in clean and b"xmpmeta" not in clean
    before, after = read(original), read(clean)
    assert after.tobytes() == before.tobytes() and after.size == before.size
    exif = after.getexif()
    assert not exif.get_ifd(0x8825) and 0x010F not in exif  # no GPS, no camera
    if kind != "GIF":
        assert dict(exif) == {0x0112: 6} and after.info["icc_profile"] == SRGB
    assert without_metadata(clean) == clean  # nothing left to drop


@pytest.mark.parametrize("kind", MADE)
def test_an_image_with_nothing_to_drop_is_returned_as_it_is(kind):
    plain = image_bytes(kind, seed=4)
    assert without_metadata(plain) is plain


def test_a_jpeg_loses_what_follows_its_end_and_many_exif_segments():
    base = image_bytes("JPEG", seed=5, size=(16, 16), progressive=True)
    app1 = b"\xff\xe1\xff\xff" + (b"Exif\x00\x00" + SECRET.encode() * 4000)[:0xFFFF - 2]  # the largest segment
    swollen = base[:2] + app1 * 20 + base[2:] + b"motion-photo video: " + SECRET.encode()  # 1.3 MB of EXIF
    clean = without_metadata(swollen)
    assert clean == base and read(clean).tobytes() == read(base).tobytes()


@pytest.mark.parametrize("kind", ["JPEG", "PNG", "WEBP", "GIF"])
def test_a_container_cut_short_is_damaged(kind):
    whole = image_bytes(kind, seed=6, size=(16, 16))
    for cut in (len(whole) // 2, len(whole) - 1):
        with pytest.raises(Damaged):
            without_metadata(whole[:cut])


def test_a_png_with_a_wrong_checksum_is_damaged():
    whole = bytearray(image_bytes("PNG", seed=7))
    whole[40] ^= 0xFF  # inside IHDR or the first chunk's data
    with pytest.raises(Damaged):
        without_metadata(bytes(whole))
