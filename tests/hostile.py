"""Hostile files for intake tests: OGR VRTs that point at a local file or a loopback URL, and a loopback HTTP
server that counts the requests it got (a test asserts it got none)."""

from __future__ import annotations

import http.server
import json
import threading
from contextlib import contextmanager

SECRET = "diming-secret-7f3a9c"
LEAK_GEOJSON = json.dumps({"type": "FeatureCollection", "features": [{
    "type": "Feature", "properties": {"road": SECRET, "number": "1"},
    "geometry": {"type": "Point", "coordinates": [120.65, 28.01]}}]})


@contextmanager
def loopback_server():
    """A server on 127.0.0.1 that answers every GET with a GeoJSON holding SECRET; yields (base url, requests)."""
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the name http.server calls
            requests.append(self.path)
            body = LEAK_GEOJSON.encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/geo+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        do_HEAD = do_GET

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", requests
    finally:
        server.shutdown()
        server.server_close()


def vrt(source: str, layer: str = "leak") -> str:
    """An OGR VRT whose one layer reads ``source`` (a path, ``CSV:...``, a URL or a /vsi... path)."""
    return (f'<OGRVRTDataSource><OGRVRTLayer name="plates"><SrcDataSource>{source}</SrcDataSource>'
            f"<SrcLayer>{layer}</SrcLayer></OGRVRTLayer></OGRVRTDataSource>")


def secret_file(tmp_path) -> str:
    """A local CSV only the server can read, with SECRET in it (a stand-in for /proc/self/status)."""
    path = tmp_path / "private" / "leak.csv"
    path.parent.mkdir()
    path.write_text(f"road,number,lon,lat\n{SECRET},1,120.65,28.01\n")
    return str(path)
