"""gunicorn's settings in production: `gunicorn -c python:annotator.gunicorn_conf annotator.wsgi`.

Threaded workers keep a connection open between requests. gunicorn's default (sync)
workers close it after every response, so a browser that reaches the app server, or a load
balancer with upstream keep-alive, opened a TCP connection (and paid its round trip) for
every click of the reader. On loopback the difference is within the noise: callgrind
counts 7.98 M instructions per annotation create in a sync worker and 8.14 M in a threaded
one (docs/scaling.md); what keep-alive saves is the network's round trip and handshake.

Each worker's threads share its process; Django keeps a database connection per thread.
"""

import os

workers = int(os.environ.get("WEB_CONCURRENCY", 3))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", 4))
# Seconds an idle connection is kept; behind a load balancer, longer than its idle timeout
# to the app servers, so that it is always the balancer that closes.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", 5))
# The workers' heartbeat file: in memory, not on a disk that may stall it (gunicorn makes
# it with mkstemp, so a shared directory is safe).
SHARED_MEMORY = "/dev/shm"  # noqa: S108
worker_tmp_dir = SHARED_MEMORY if os.path.isdir(SHARED_MEMORY) else None
