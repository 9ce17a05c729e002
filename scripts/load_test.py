"""Load test: 20 analysts creating annotations and 20 readers, against gunicorn on loopback.

Bounded and local: a throwaway database (a SQLite file in a temporary folder, or the
PostgreSQL database `<name>_loadtest` when DATABASE_URL is set), gunicorn bound to
127.0.0.1:LOAD_TEST_PORT (default 8100), ANALYSTS × CREATES creates (default 20 × 50) while
READERS (default 20) reload the reading page, everything stopping after LOAD_TEST_SECONDS
(default 300) at the latest; then gunicorn is stopped and the database dropped.

Each create sends a client-generated uuid and, on a network error or a 5xx, is retried
with the same uuid (as the reader does), so a retry can never duplicate. Prints
throughput, latency percentiles (p50/p95/p99) for creates and reads, errors, and
acknowledged vs stored creates, which must be equal.

    .venv/bin/python scripts/load_test.py
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/annotator .venv/bin/python scripts/load_test.py
"""

import http.client
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parents[1]
HOST = "127.0.0.1"  # loopback only, never anything else
PORT = int(os.environ.get("LOAD_TEST_PORT", 8100))
ANALYSTS = int(os.environ.get("LOAD_TEST_ANALYSTS", 20))
CREATES = int(os.environ.get("LOAD_TEST_CREATES", 50))
READERS = int(os.environ.get("LOAD_TEST_READERS", 20))
DEADLINE = float(os.environ.get("LOAD_TEST_SECONDS", 300))
WORKERS = int(os.environ.get("LOAD_TEST_WORKERS", 3))
PASSWORD = "load-test-password-1"
RETRIES = 3
SECRET = "load-test-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz"


def throwaway_database():
    """(DATABASE_URL for the throwaway database, cleanup function)."""
    base = os.environ.get("DATABASE_URL", "")
    if not base:
        folder = tempfile.mkdtemp(prefix="annotator-load-")
        return f"sqlite:///{folder}/load.sqlite3", lambda: __import__("shutil").rmtree(folder, True)
    parts = urlsplit(base)
    name = parts.path.lstrip("/") + "_loadtest"
    admin = urlunsplit(parts._replace(path="/postgres"))
    url = urlunsplit(parts._replace(path="/" + name))

    def psql(sql):
        import psycopg

        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(sql)

    psql(f'DROP DATABASE IF EXISTS "{name}"')
    psql(f'CREATE DATABASE "{name}"')
    return url, lambda: psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def server_env(database_url):
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "SECRET_KEY": SECRET,
        "HTTPS": "0",
        "ALLOWED_HOSTS": HOST,
        "STATIC_MANIFEST": "0",
        "WHITENOISE_USE_FINDERS": "1",
        "ANNOTATOR_LOGIN_FAILURE_LIMIT": "1000",
        "DJANGO_SETTINGS_MODULE": "annotator.settings",
    }


def seed(env):
    """Migrate the throwaway database and create the users and the article, in a child."""
    code = f"""
import django; django.setup()
from django.contrib.auth.models import Group, User
from django.core.management import call_command
call_command("migrate", verbosity=0)
from articles.ingest.pipeline import ingest, store_article
from articles.models import Label
from pathlib import Path
text = Path("articles/samples/pakistan-us-rift.txt").read_text(encoding="utf-8")
article, _ = store_article(ingest(text), outlet="Load")
for role, prefix, count in (("Annotator", "analyst", {ANALYSTS}), ("Viewer", "reader", {READERS})):
    group = Group.objects.get(name=role)
    for number in range(count):
        user = User.objects.create_user(f"{{prefix}}{{number}}", password={PASSWORD!r})
        user.groups.add(group)
print(article.pk, Label.objects.filter(active=True).first().pk)
"""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    article_id, label_id = result.stdout.split()
    return int(article_id), int(label_id)


def count_stored(env, uuids):
    code = """
import django, sys; django.setup()
from articles.models import Annotation
wanted = set(sys.stdin.read().split())
stored = set(str(u) for u in Annotation.all_objects.filter(author__username__startswith="analyst").values_list("uuid", flat=True))
print(len(stored), len(stored & wanted), len(stored - wanted))
"""
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        input="\n".join(uuids),
        capture_output=True,
        text=True,
        check=True,
    )
    return [int(number) for number in result.stdout.split()]


class Session:
    """A logged-in browser, reduced to cookies and the CSRF token."""

    def __init__(self, timeout=30):
        self.cookies, self.timeout = {}, timeout

    def request(self, method, path, data=None, headers=None):
        connection = http.client.HTTPConnection(HOST, PORT, timeout=self.timeout)
        try:
            body = urlencode(data) if data is not None else None
            all_headers = {
                "Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items()),
                **(headers or {}),
            }
            if body is not None:
                all_headers["Content-Type"] = "application/x-www-form-urlencoded"
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie(header)
                self.cookies.update({key: morsel.value for key, morsel in cookie.items()})
            return response.status, content
        finally:
            connection.close()

    def log_in(self, username):
        status, page = self.request("GET", "/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1).decode()
        data = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token}
        status, _ = self.request("POST", "/login/", data, {"Referer": f"http://{HOST}:{PORT}/login/"})
        if status != 302:
            raise RuntimeError(f"log-in of {username} answered {status}")

    @property
    def csrf_headers(self):
        return {"X-CSRFToken": self.cookies.get("csrftoken", ""), "HX-Request": "true"}


class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.create_times, self.read_times = [], []
        self.acknowledged, self.errors, self.retries = [], [], 0


def logged_in(usernames):
    """A Session per username, logged in three at a time before the measured part starts
    (a log-in hashes the password, slow by design)."""
    sessions = {}

    def log_in(username):
        session = Session(timeout=120)
        session.log_in(username)
        sessions[username] = session

    for index in range(0, len(usernames), 3):
        threads = [threading.Thread(target=log_in, args=(name,)) for name in usernames[index : index + 3]]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    missing = set(usernames) - set(sessions)
    if missing:
        raise RuntimeError(f"could not log in: {sorted(missing)}")
    return sessions


def analyst(session, article_id, label_id, passages, results, stop_at):
    for _ in range(CREATES):
        if time.monotonic() > stop_at:
            return
        start, end, quote = random.choice(passages)
        data = {"label": label_id, "start": start, "end": end, "quote": quote, "uuid": str(uuid.uuid4())}
        for attempt in range(RETRIES + 1):
            started = time.perf_counter()
            try:
                status, _ = session.request(
                    "POST", f"/articles/{article_id}/annotations/", data, session.csrf_headers
                )
            except OSError as exc:
                status = f"network error ({exc.__class__.__name__})"
            elapsed = time.perf_counter() - started
            with results.lock:
                results.create_times.append(elapsed)
                if status == 200:
                    results.acknowledged.append(data["uuid"])
                    break
                if attempt < RETRIES and (not isinstance(status, int) or status >= 500):
                    results.retries += 1
                    continue
                results.errors.append(f"create: {status}")
                break


def reader(session, article_id, results, done, stop_at):
    while not done.is_set() and time.monotonic() < stop_at:
        started = time.perf_counter()
        try:
            status, _ = session.request("GET", f"/articles/{article_id}/")
        except OSError as exc:
            status = f"network error ({exc.__class__.__name__})"
        with results.lock:
            results.read_times.append(time.perf_counter() - started)
            if status != 200:
                results.errors.append(f"read: {status}")


def percentiles(times):
    if len(times) < 2:
        return "n/a"
    cuts = statistics.quantiles(times, n=100)
    return f"p50 {cuts[49] * 1000:.0f} ms, p95 {cuts[94] * 1000:.0f} ms, p99 {cuts[98] * 1000:.0f} ms"


def passages_of(env, article_id):
    code = f"""
import django, json; django.setup()
from articles.models import Article
from articles.spans.offsets import codepoint_to_utf16
body = Article.objects.get(pk={article_id}).body
import re
words = [m for m in re.finditer(r"\\w+(?: \\w+)?", body)][:400]
print(json.dumps([[codepoint_to_utf16(body, m.start()), codepoint_to_utf16(body, m.end()), m.group()] for m in words]))
"""
    import json

    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)


def wait_for_server(process):
    for _ in range(100):
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited")
        try:
            connection = http.client.HTTPConnection(HOST, PORT, timeout=2)
            connection.request("GET", "/login/")
            connection.getresponse().read()
            connection.close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def main():
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # stopped from outside: still clean up
    database_url, cleanup = throwaway_database()
    env = server_env(database_url)
    vendor = "PostgreSQL" if database_url.startswith("postgres") else "SQLite"
    server = None
    try:
        article_id, label_id = seed(env)
        passages = passages_of(env, article_id)
        server = subprocess.Popen(  # noqa: S603
            [
                str(ROOT / ".venv" / "bin" / "gunicorn"),
                "-c",
                "python:annotator.gunicorn_conf",
                "annotator.wsgi",
                "--bind",
                f"{HOST}:{PORT}",
                "--workers",
                str(WORKERS),
                "--timeout",
                "60",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        wait_for_server(server)
        sessions = logged_in(
            [f"analyst{n}" for n in range(ANALYSTS)] + [f"reader{n}" for n in range(READERS)]
        )
        for session in sessions.values():
            session.timeout = 30
        results, done = Results(), threading.Event()
        stop_at = time.monotonic() + DEADLINE
        analysts = [
            threading.Thread(
                target=analyst,
                args=(sessions[f"analyst{n}"], article_id, label_id, passages, results, stop_at),
            )
            for n in range(ANALYSTS)
        ]
        readers = [
            threading.Thread(target=reader, args=(sessions[f"reader{n}"], article_id, results, done, stop_at))
            for n in range(READERS)
        ]
        started = time.perf_counter()
        for thread in analysts + readers:
            thread.start()
        for thread in analysts:
            thread.join()
        create_seconds = time.perf_counter() - started
        done.set()
        for thread in readers:
            thread.join()
        elapsed = time.perf_counter() - started
        stored, stored_acknowledged, stored_unacknowledged = count_stored(env, results.acknowledged)
        acknowledged = len(set(results.acknowledged))
        print(
            f"{vendor}, gunicorn {WORKERS} workers on {HOST}:{PORT}: {ANALYSTS} analysts × {CREATES} creates, "
            f"{READERS} readers, {elapsed:.1f} s"
        )
        print(
            f"creates: {len(results.acknowledged)} acknowledged in {create_seconds:.1f} s "
            f"= {len(results.acknowledged) / create_seconds:.1f}/s; {percentiles(results.create_times)}"
        )
        print(
            f"reads:   {len(results.read_times)} in {elapsed:.1f} s = {len(results.read_times) / elapsed:.1f}/s; "
            f"{percentiles(results.read_times)}"
        )
        print(f"errors: {len(results.errors)} {sorted(set(results.errors))[:5]}; retries: {results.retries}")
        verdict = "EQUAL" if stored == acknowledged == stored_acknowledged else "DIFFERENT"
        print(
            f"acknowledged {acknowledged}, stored {stored} "
            f"(of them acknowledged {stored_acknowledged}, never acknowledged {stored_unacknowledged}): {verdict}"
        )
    finally:
        if server is not None and server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        cleanup()


if __name__ == "__main__":
    main()
