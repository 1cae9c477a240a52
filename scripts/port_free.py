#!/usr/bin/env python3
"""Exits 0 when HOST:PORT can be listened on, else says who to ask and exits 1 (`make run` checks before it serves:
a port in use would have the server fail and be restarted over and over)."""

import errno
import socket
import sys


def main(host: str, port: str) -> int:
    try:
        number = int(port)
        if not 0 < number < 65536:
            raise ValueError
    except ValueError:
        print(f"PORT={port!r} is not a port number (1-65535).", file=sys.stderr)
        return 1
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, number))
        except OSError as error:
            if error.errno == errno.EADDRINUSE:
                print(f"Port {number} on {host} is already in use (another `make run`, or the service: systemctl "
                      f"status diming?). Stop it, or serve on another port: PORT={number + 1} make run",
                      file=sys.stderr)
            else:
                print(f"Cannot serve on {host}:{number}: {error.strerror}.", file=sys.stderr)
            return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
