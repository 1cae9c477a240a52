"""`make run` (and `make dev`) on a port another program holds: said at once with what to do, before anything
starts (the server used to fail to bind and be restarted over and over, its error scrolling by)."""

import socket
import subprocess

from tests.processes import ROOT, free_port


def _port_free(port) -> subprocess.CompletedProcess:
    return subprocess.run(["make", "--no-print-directory", "port-free", f"PORT={port}"], cwd=ROOT,
                          capture_output=True, text=True)


def test_a_port_in_use_is_said_with_what_to_do_and_a_free_one_goes_on():
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        taken = _port_free(port)
    assert taken.returncode != 0
    assert f"Port {port} on 127.0.0.1 is already in use" in taken.stderr and f"PORT={port + 1} make run" in taken.stderr
    assert _port_free(free_port()).returncode == 0
    assert "not a port number" in _port_free("80a").stderr
