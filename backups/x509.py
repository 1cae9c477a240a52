"""The end of the server's HTTPS certificate, read from the certificate itself with the standard library's public
parts (no Django here: `make run`'s scripts/serving.py reads it before the server starts, and the admin's index after).
"""

from __future__ import annotations

import datetime as dt
import ssl


def _first_certificate(pem: str) -> str:
    """The server's own certificate: the first of a chain file (the issuers' follow it)."""
    begin, end = "-----BEGIN CERTIFICATE-----", "-----END CERTIFICATE-----"
    start = pem.index(begin)
    return pem[start:pem.index(end, start) + len(end)]


def _element(der: bytes, at: int) -> tuple[int, int, int]:
    """The DER element at ``at``: its tag, and where its content starts and ends."""
    tag, length, start = der[at], der[at + 1], at + 2
    if length & 0x80:  # long form: the next (length & 0x7F) bytes hold the length
        count = length & 0x7F
        length, start = int.from_bytes(der[start:start + count], "big"), start + count
    if start + length > len(der):
        raise ValueError("truncated certificate")
    return tag, start, start + length


def not_after(pem: bytes) -> dt.datetime:
    """When the first certificate of a PEM file ends: its validity's notAfter (RFC 5280 4.1: Certificate >
    TBSCertificate > [version], serial number, signature algorithm, issuer, Validity > notBefore, notAfter).
    ValueError or IndexError where it is no such certificate."""
    der = ssl.PEM_cert_to_DER_cert(_first_certificate(pem.decode("ascii")))
    _tag, certificate_start, _end = _element(der, 0)
    _tag, at, _end = _element(der, certificate_start)  # TBSCertificate
    tag, _start, end = _element(der, at)
    if tag == 0xA0:  # [0] version, absent from a version 1 certificate
        at = end
    for _skipped in range(3):  # serial number, signature algorithm, issuer
        _tag, _start, at = _element(der, at)
    _tag, validity, _end = _element(der, at)
    _tag, _start, after_not_before = _element(der, validity)
    tag, start, end = _element(der, after_not_before)
    text = der[start:end].decode("ascii")
    if tag == 0x17:  # UTCTime YYMMDDHHMMSSZ: 50-99 are 19xx (RFC 5280 4.1.2.5.1)
        text = ("19" if int(text[:2]) >= 50 else "20") + text
    elif tag != 0x18:  # GeneralizedTime YYYYMMDDHHMMSSZ
        raise ValueError("not a time")
    return dt.datetime.strptime(text, "%Y%m%d%H%M%SZ").replace(tzinfo=dt.UTC)
