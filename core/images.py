"""A photo without what it tells beyond its pixels: the camera, the time, the GPS position (EXIF), XMP, IPTC,
comments, embedded thumbnails and whatever follows the image's end.

The image is never decoded nor encoded again: its container (JPEG segments, PNG chunks, WebP's RIFF chunks, GIF's
blocks) is walked and only the parts that make the picture are copied, byte for byte, so the pixels are the
uploaded ones and an image with nothing to drop comes back unchanged (the same bytes, the same SHA-256). What is
kept besides the picture: the ICC colour profile, and the EXIF orientation when it turns the picture (as a
minimal EXIF block holding that one tag), so the photo is not shown on its side. A container that cannot be
walked to its end (cut short, a length past the end, a bad PNG checksum) is ``Damaged``.
"""

from __future__ import annotations

import zlib


class Damaged(ValueError):
    """The image's container cannot be walked to its end."""


def without_metadata(data: bytes) -> bytes:
    """``data`` (a JPEG, PNG, WebP or GIF, by its first bytes) without its metadata; ``data`` itself when it has
    none."""
    if data.startswith(b"\xff\xd8"):
        parts = _jpeg(data)
    elif data.startswith(b"\x89PNG\r\n\x1a\n"):
        parts = _png(data)
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return _webp(data)
    elif data[:6] in (b"GIF87a", b"GIF89a"):
        parts = _gif(data)
    else:
        raise Damaged("not an image this module knows")
    clean = b"".join(data[p] if isinstance(p, slice) else p for p in parts)
    return data if clean == data else clean


def _need(data: bytes, end: int) -> None:
    if end > len(data):
        raise Damaged("cut short")


# -- orientation, the one EXIF tag kept -----------------------------------------------------------------------------
ORIENTATION = 0x0112


def orientation(tiff: bytes) -> int:
    """The orientation (1-8) in a TIFF-structured EXIF block's first directory; 1 when absent or unreadable."""
    order = {b"II": "little", b"MM": "big"}.get(tiff[:2])
    if order is None or len(tiff) < 8:
        return 1
    ifd = int.from_bytes(tiff[4:8], order)
    count = int.from_bytes(tiff[ifd:ifd + 2], order) if ifd + 2 <= len(tiff) else 0
    for entry in range(ifd + 2, min(ifd + 2 + 12 * count, len(tiff) - 11), 12):
        if int.from_bytes(tiff[entry:entry + 2], order) == ORIENTATION:
            value = int.from_bytes(tiff[entry + 8:entry + 10], order)
            return value if 1 <= value <= 8 else 1
    return 1


def orientation_only(value: int) -> bytes:
    """A big-endian TIFF block with one directory holding only the orientation (a SHORT)."""
    entry = ORIENTATION.to_bytes(2, "big") + (3).to_bytes(2, "big") + (1).to_bytes(4, "big") + value.to_bytes(2, "big")
    return b"MM\x00\x2a" + (8).to_bytes(4, "big") + (1).to_bytes(2, "big") + entry + b"\x00\x00" + bytes(4)


# -- JPEG: markers and segments ---------------------------------------------------------------------------------------
EXIF_HEADER = b"Exif\x00\x00"
JPEG_APP_KEPT = {0xE0: (b"JFIF\x00",), 0xE2: (b"ICC_PROFILE\x00",), 0xEE: (b"Adobe",)}
JPEG_UNSIZED = {0x01, *range(0xD0, 0xD8)}  # TEM, RST0-7


def _jpeg(data: bytes) -> list:
    parts: list = [slice(0, 2)]
    pos, turned, scanned = 2, False, False
    while True:
        start, pos = pos, _marker_at(data, pos)
        marker = data[pos + 1]
        if marker == 0xD9:  # EOI: what follows (a second picture, a video, a maker's trailer) goes
            if not scanned:
                raise Damaged("no picture")
            parts.append(slice(start, pos + 2))
            return parts
        if marker in JPEG_UNSIZED:
            parts.append(slice(start, pos + 2))
            pos += 2
            continue
        _need(data, pos + 4)
        end = pos + 2 + int.from_bytes(data[pos + 2:pos + 4], "big")
        if end < pos + 4:
            raise Damaged("a segment shorter than its length field")
        _need(data, end)
        kept = _jpeg_segment(marker, data[pos + 4:end], slice(start, end), turned)
        if kept is not None:
            parts.append(kept)
            turned = turned or isinstance(kept, bytes)
        pos = end
        if marker == 0xDA:  # SOS: the entropy-coded scan runs to the next marker that is not a stuffed 0xFF
            pos, scanned = _scan_end(data, pos), True
            parts.append(slice(end, pos))


def _marker_at(data: bytes, pos: int) -> int:
    """Where the marker starting at ``pos`` is, after its fill bytes (0xFF)."""
    while pos + 1 < len(data) and data[pos] == 0xFF and data[pos + 1] == 0xFF:
        pos += 1
    _need(data, pos + 2)
    if data[pos] != 0xFF:
        raise Damaged("no marker where one must be")
    return pos


def _jpeg_segment(marker: int, payload: bytes, whole: slice, turned: bool) -> slice | bytes | None:
    """What stays of a segment: all of it, only the orientation of its EXIF (as a new APP1), or nothing."""
    if marker == 0xE1 and payload.startswith(EXIF_HEADER) and not turned:
        value = orientation(payload[len(EXIF_HEADER):])
        if value == 1:
            return None
        block = EXIF_HEADER + orientation_only(value)
        return b"\xff\xe1" + (len(block) + 2).to_bytes(2, "big") + block
    if marker == 0xFE or 0xE0 <= marker <= 0xEF:  # COM, APPn
        return whole if payload.startswith(JPEG_APP_KEPT.get(marker, ())) else None
    return whole


def _scan_end(data: bytes, pos: int) -> int:
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 1 >= len(data):
            raise Damaged("a scan with no end")
        following = data[pos + 1]
        if following == 0x00 or 0xD0 <= following <= 0xD7:
            pos += 2
        elif following == 0xFF:
            pos += 1
        else:
            return pos


# -- PNG: chunks ------------------------------------------------------------------------------------------------------
PNG_KEPT = {b"IHDR", b"PLTE", b"IDAT", b"IEND", b"tRNS", b"cHRM", b"gAMA", b"iCCP", b"sBIT", b"sRGB", b"cICP",
            b"mDCv", b"cLLI", b"bKGD", b"hIST", b"pHYs", b"sPLT", b"acTL", b"fcTL", b"fdAT"}


def _png(data: bytes) -> list:
    parts: list = [slice(0, 8)]
    pos = 8
    while True:
        _need(data, pos + 12)
        length = int.from_bytes(data[pos:pos + 4], "big")
        kind, end = data[pos + 4:pos + 8], pos + 12 + length
        _need(data, end)
        if zlib.crc32(data[pos + 4:end - 4]) != int.from_bytes(data[end - 4:end], "big"):
            raise Damaged("a chunk whose checksum is wrong")
        if pos == 8 and kind != b"IHDR":
            raise Damaged("no IHDR first")
        if kind == b"eXIf":
            value = orientation(data[pos + 8:end - 4])
            if value != 1:
                parts.append(_png_chunk(b"eXIf", orientation_only(value)))
        elif kind in PNG_KEPT:
            parts.append(slice(pos, end))
        if kind == b"IEND":
            return parts
        pos = end


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return len(body).to_bytes(4, "big") + kind + body + zlib.crc32(kind + body).to_bytes(4, "big")


# -- WebP: RIFF chunks ------------------------------------------------------------------------------------------------
WEBP_KEPT = {b"VP8X", b"ICCP", b"ANIM", b"ANMF", b"ALPH", b"VP8 ", b"VP8L"}
WEBP_EXIF, WEBP_XMP = 0x08, 0x04  # flags of VP8X's first byte


def _webp(data: bytes) -> bytes:
    end = 8 + int.from_bytes(data[4:8], "little")
    _need(data, end)
    chunks, pos, value = [], 12, 1
    while pos < end:
        _need(data, pos + 8)
        kind, size = data[pos:pos + 4], int.from_bytes(data[pos + 4:pos + 8], "little")
        stop = min(pos + 8 + size + (size & 1), end)  # the pad byte of the last chunk is sometimes left out
        if pos + 8 + size > end:
            raise Damaged("a chunk past the RIFF's end")
        if kind == b"EXIF":
            body = data[pos + 8:pos + 8 + size]
            value = orientation(body.removeprefix(EXIF_HEADER))
        elif kind in WEBP_KEPT:
            chunks.append(bytearray(data[pos:stop]))
        pos = stop
    if not any(c[:4] in (b"VP8 ", b"VP8L", b"ANMF") for c in chunks):
        raise Damaged("no picture")
    if chunks[0][:4] == b"VP8X":
        chunks[0][8] &= ~(WEBP_EXIF | WEBP_XMP) & 0xFF
        if value != 1:
            chunks[0][8] |= WEBP_EXIF
            body = orientation_only(value)
            chunks.append(bytearray(b"EXIF" + len(body).to_bytes(4, "little") + body))
    body = b"WEBP" + b"".join(chunks)
    clean = b"RIFF" + len(body).to_bytes(4, "little") + body
    return data if clean == data else clean


# -- GIF: blocks ------------------------------------------------------------------------------------------------------
GIF_APPLICATIONS_KEPT = (b"NETSCAPE2.0", b"ANIMEXTS1.0")  # the loop count of an animation
GIF_EXTENSIONS_KEPT = {0xF9, 0x01}  # graphic control, plain text; comments (0xFE) and others go


def _gif(data: bytes) -> list:
    _need(data, 13)
    pos = 13 + _colour_table(data[10])
    parts: list = [slice(0, pos)]
    while True:
        _need(data, pos + 1)
        start, block = pos, data[pos]
        if block == 0x3B:  # trailer
            parts.append(slice(pos, pos + 1))
            return parts
        if block == 0x2C:  # an image: descriptor, local colour table, LZW code size, data sub-blocks
            _need(data, pos + 10)
            pos = _sub_blocks(data, pos + 10 + _colour_table(data[pos + 9]) + 1)
            parts.append(slice(start, pos))
        elif block == 0x21:
            _need(data, pos + 2)
            label = data[pos + 1]
            pos = _sub_blocks(data, pos + 2)
            if label in GIF_EXTENSIONS_KEPT or (label == 0xFF and data[start + 3:start + 14] in GIF_APPLICATIONS_KEPT):
                parts.append(slice(start, pos))
        else:
            raise Damaged("an unknown GIF block")


def _colour_table(flags: int) -> int:
    return 3 << ((flags & 7) + 1) if flags & 0x80 else 0


def _sub_blocks(data: bytes, pos: int) -> int:
    while True:
        _need(data, pos + 1)
        size = data[pos]
        pos += 1 + size
        if size == 0:
            return pos
