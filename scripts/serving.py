#!/usr/bin/env python3
"""Says what `make run` is about to serve, and refuses what could not serve (`make run` calls it before it starts):

    scripts/serving.py HOST PORT

- HTTPS with the bureau's certificate (DIMING_TLS_CERT and DIMING_TLS_KEY, PEM files): both must be set and readable,
  the key unencrypted PKCS#8 (the only form the server, granian, reads) and the certificate's own. Anything else
  exits 1 with what to do (an RSA key in the older form: the openssl command that converts it), before a server that
  cannot start would be restarted again and again.
- A certificate that ends within 30 days, or has ended, is warned of (the admin's index and mail say it too).
- The address to open: the one other computers type (DIMING_PUBLIC_BASE_URL) when the server listens beyond this
  machine; and a warning when it listens on every address while DIMING_PUBLIC_BASE_URL still names this machine's
  loopback, as other computers would then be refused (the product answers only the host names it knows).

Standard library only.
"""

from __future__ import annotations

import os
import ssl
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the project: its standard-library-only reader
from backups.x509 import not_after  # noqa: E402

LOOPBACK = {"127.0.0.1", "localhost", "::1", "[::1]"}
EVERY_ADDRESS = {"0.0.0.0", "::", "[::]", ""}
PKCS8 = "-----BEGIN PRIVATE KEY-----"
OLDER_FORMS = ("-----BEGIN RSA PRIVATE KEY-----", "-----BEGIN EC PRIVATE KEY-----")


def tls_problem(cert: str, key: str) -> str | None:
    """Why this certificate and key cannot serve HTTPS, in words, or None."""
    if not cert or not key:
        return "HTTPS needs both DIMING_TLS_CERT (the certificate, PEM) and DIMING_TLS_KEY (its private key, PEM)."
    for name, path in (("DIMING_TLS_CERT", cert), ("DIMING_TLS_KEY", key)):
        if not Path(path).is_file():
            return f"{name}={path}: no such file."
        if not os.access(path, os.R_OK):
            return f"{name}={path}: this user ({os.environ.get('USER', 'the server')}) may not read it."
    text = Path(key).read_text(encoding="ascii", errors="replace")
    if any(form in text for form in OLDER_FORMS):
        return (f"DIMING_TLS_KEY={key} is in the older (PKCS#1) form; the server reads PKCS#8 only. Convert it:\n"
                f"  openssl pkcs8 -topk8 -nocrypt -in {key} -out {key}.pk8\nand set DIMING_TLS_KEY={key}.pk8")
    if PKCS8 not in text:
        return (f"DIMING_TLS_KEY={key} is not an unencrypted private key in PEM (a '{PKCS8}' block); a key with a "
                f"password is not read: remove the password with openssl pkcs8 -topk8 -nocrypt.")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    try:
        context.load_cert_chain(cert, key)
    except ssl.SSLError as error:
        return (f"DIMING_TLS_CERT={cert} and DIMING_TLS_KEY={key} do not make a pair, or the certificate is not PEM "
                f"({error.reason or error}).")
    return None


def days_left(cert: str) -> int | None:
    """Whole days until the certificate ends (negative once it has), or None where it cannot be read so."""
    try:
        ends = not_after(Path(cert).read_bytes()).timestamp()
    except (OSError, ValueError, IndexError):
        return None
    return int((ends - time.time()) // 86400)


def main(host: str, port: str) -> int:
    cert, key = os.environ.get("DIMING_TLS_CERT", ""), os.environ.get("DIMING_TLS_KEY", "")
    scheme = "http"
    if cert or key:
        problem = tls_problem(cert, key)
        if problem:
            print(f"make run: cannot serve HTTPS. {problem}", file=sys.stderr)
            return 1
        scheme = "https"
        left = days_left(cert)
        if left is not None and left < 0:
            print(f"  The certificate {cert} has expired: browsers warn, and the crews' tablets cannot send.",
                  file=sys.stderr)
        elif left is not None and left < 30:
            print(f"  The certificate {cert} ends in {left} day(s): ask for a new one now.", file=sys.stderr)
    public = os.environ.get("DIMING_PUBLIC_BASE_URL", "").rstrip("/")
    public_host = urlsplit(public).hostname or ""
    shown = f"[{host}]" if ":" in host else host
    here = f"{scheme}://{shown}:{port}"
    if host in LOOPBACK:
        print(f"Serving {here}/ (this machine only)  (admin: {here}/admin/)")
    else:
        opened = public if public_host and public_host not in LOOPBACK else here
        print(f"Serving {opened}/ on {shown}:{port}  (admin: {opened}/admin/)")
        if host in EVERY_ADDRESS and (not public_host or public_host in LOOPBACK):
            print("  Other computers will be refused until DIMING_PUBLIC_BASE_URL names the address they open, e.g. "
                  f"DIMING_PUBLIC_BASE_URL={scheme}://192.168.1.20:{port} (it is also the address the QR codes print).",
                  file=sys.stderr)
        if scheme == "http":
            print("  Plain HTTP: passwords cross the network unencrypted, and the crews' tablet app works offline only "
                  "over HTTPS. Give the bureau's certificate: DIMING_TLS_CERT=… DIMING_TLS_KEY=…", file=sys.stderr)
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
