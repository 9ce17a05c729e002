"""The production server keeps a client's connection open between requests
(annotator/gunicorn_conf.py): gunicorn's default workers closed it after each one."""

import http.client
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def server(tmp_path):
    port = free_port()
    env = {
        **os.environ,
        "DEBUG": "0",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",  # static files need no database
        "WEB_CONCURRENCY": "1",
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "-c", "python:annotator.gunicorn_conf", "annotator.wsgi"]
        + ["--bind", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    yield port
    process.send_signal(signal.SIGTERM)
    process.wait(timeout=30)


def test_it_answers_several_requests_on_one_connection(server):
    connection = http.client.HTTPConnection("127.0.0.1", server, timeout=10)
    connection.request("GET", "/static/css/app.css")
    first = connection.getresponse()
    first.read()
    assert first.status == 200
    assert not first.will_close
    used = connection.sock
    connection.request("GET", "/static/js/reader.js")
    second = connection.getresponse()
    second.read()
    assert second.status == 200
    assert connection.sock is used  # the same socket: not reopened
    connection.close()
