"""`make service` makes `make run` a systemd service, so that the product comes back after a reboot or a power cut:
a unit that systemd accepts (systemd-analyze verify), running `make run` in the checkout as its owner, with the
variables given to `make service` (the office's address and certificate, the web's size among them) kept for it in a
file only its owner reads; where systemd is not running it writes both under var/ and says what to do; and it refuses
while something already serves the port."""

import http.server
import os
import shutil
import stat
import subprocess
import threading

import pytest

from tests.processes import ROOT, free_port


def _service(tmp_path, **env):
    return subprocess.run(["make", "--no-print-directory", "service"], cwd=ROOT, capture_output=True, text=True,
                          env={**{k: v for k, v in os.environ.items() if not k.startswith("DIMING_")}, **env})


def test_the_unit_runs_make_run_here_as_the_checkout_s_owner_with_the_variables_given(tmp_path):
    done = _service(tmp_path, DIMING_SERVICE_OUT=str(tmp_path), PORT="8765",
                    DIMING_BACKUP_COPY_DIR="/mnt/nas/diming", DATABASE_URL='postgis://u:p"w@db/diming',
                    DJANGO_ALLOWED_HOSTS="dm.bureau.example", WEB_WORKERS="4", WEB_THREADS="8", UNRELATED="x")
    assert done.returncode == 0, done.stderr
    unit = (tmp_path / "diming.service").read_text()
    owner = ROOT.owner()
    for line in (f"User={owner}", f"WorkingDirectory={ROOT}", f"EnvironmentFile={ROOT}/var/service.env",
                 f"ExecStart={shutil.which('make')} --no-print-directory run", "Restart=on-failure",
                 f"ExecStopPost={ROOT}/scripts/db.sh stop dev", "WantedBy=multi-user.target"):
        assert line in unit.splitlines(), line
    variables = (tmp_path / "service.env").read_text().splitlines()
    assert 'PORT="8765"' in variables and 'HOST="127.0.0.1"' in variables
    assert 'DIMING_BACKUP_COPY_DIR="/mnt/nas/diming"' in variables
    assert 'DATABASE_URL="postgis://u:p\\"w@db/diming"' in variables  # quoted as systemd reads it
    assert 'DJANGO_ALLOWED_HOSTS="dm.bureau.example"' in variables  # and the office's address, the certificate…
    assert 'WEB_WORKERS="4"' in variables and 'WEB_THREADS="8"' in variables
    assert not any(v.startswith(("DIMING_SERVICE_OUT", "UNRELATED")) for v in variables)
    assert stat.S_IMODE((tmp_path / "service.env").stat().st_mode) == 0o600  # it may hold a database password
    if shutil.which("systemd-analyze"):
        verified = subprocess.run(["systemd-analyze", "verify", str(tmp_path / "diming.service")],
                                  capture_output=True, text=True)
        assert verified.returncode == 0, verified.stderr


def _copy_of_the_script(tmp_path):
    checkout = tmp_path / "checkout"
    (checkout / "scripts").mkdir(parents=True)
    for script in ("service.sh", "serving.py"):
        shutil.copy2(ROOT / "scripts" / script, checkout / "scripts" / script)
    (checkout / "backups").mkdir()
    for module in ("__init__.py", "x509.py"):  # serving.py reads the certificate's end with it
        shutil.copy2(ROOT / "backups" / module, checkout / "backups" / module)
    return checkout


@pytest.mark.skipif(os.path.isdir("/run/systemd/system"), reason="systemd runs here: the unit would be installed")
def test_without_systemd_the_unit_is_left_under_var_with_what_to_do(tmp_path):
    checkout = _copy_of_the_script(tmp_path)
    done = subprocess.run([str(checkout / "scripts" / "service.sh")], capture_output=True, text=True,
                          env={**os.environ, "PORT": str(free_port())})
    assert done.returncode == 0, done.stderr
    assert "systemd is not running" in done.stdout and "systemctl enable --now diming" in done.stdout
    assert (checkout / "var" / "diming.service").is_file() and (checkout / "var" / "service.env").is_file()


def test_it_refuses_while_something_already_serves_the_port(tmp_path):
    checkout = _copy_of_the_script(tmp_path)
    (tmp_path / "healthz").write_text("ok")
    handler = lambda *a, **k: http.server.SimpleHTTPRequestHandler(*a, directory=str(tmp_path), **k)  # noqa: E731
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        done = subprocess.run([str(checkout / "scripts" / "service.sh")], capture_output=True, text=True,
                              env={**os.environ, "PORT": str(server.server_address[1])})
    finally:
        server.shutdown()
    assert done.returncode == 1 and "already serves" in done.stderr and "stop it first" in done.stderr
    assert not (checkout / "var").exists()
