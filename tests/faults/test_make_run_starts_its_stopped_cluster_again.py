"""`make run` keeps its private cluster running as it keeps its programs: a cluster that stops under it (killed, or
`make stop` typed in another terminal while the product serves) is started again within seconds with its data, and
the pages come back without a restart of anything else."""

import os
import signal

import pytest

from tests.processes import Supervised, free_port, product_env, wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_stopped_cluster_is_started_again_and_the_product_answers_again(tmp_path, wenzhou_counties, cluster):
    cluster.copy_from_the_test_database()
    env = {**product_env(cluster.url, tmp_path), "DIMING_PG_HOME": str(cluster.home)}
    server = Supervised(env, free_port(), tmp_path / "run.log", worker=False, keep_cluster="test")
    try:
        server.wait_until_serving()
        assert server.get("/healthz")[0] == 200
        cluster.stop()  # `make stop` from another terminal
        assert wait_for(lambda: "was not running: starting it again" in server.output(), 30), server.output()
        assert wait_for(lambda: server.get("/healthz")[0] == 200, 30), server.output()
        assert cluster.query("SELECT count(*) FROM boundaries_adminarea")[0][0] > 0  # with its data

        postmaster = int((cluster.home / "data" / "postmaster.pid").read_text().split()[0])
        os.kill(postmaster, signal.SIGKILL)  # the server killed outright (the out-of-memory killer)
        assert wait_for(lambda: server.output().count("was not running") == 2, 30), server.output()
        assert wait_for(lambda: server.get("/healthz")[0] == 200, 60), server.output()
    finally:
        server.stop()
