"""The real server, driven as a user would: import 1,000 documents, 4,000 span creates
(one HTTP request each, sequential), and the reading page as a browser gets it.

Runs `manage.py import_articles` (process start included) against a throwaway SQLite
file, then gunicorn as in production (annotator/gunicorn_conf.py: threaded workers that
keep a connection open; 5 workers, DEBUG off) on 127.0.0.1:BENCH_PORT (default 8230),
which it stops at the end. Prints the three figures of issue 11: the import's own time
and the whole command's (wall and CPU); span create median ms, requests/s and server CPU
per request, beside the median time of one durable SQLite commit on this disk (the floor
under a create's median that no Python work can lower). The creates are sent one at a
time over one kept-alive connection, as a browser sends them, twice: 4 on each of the
1,000 imported documents (as analysts spread their tags), then 4,000 stacked on one
article: each pair of neighbouring words, with each label in turn (hundreds of spans deep
on each paragraph, which every create re-renders: the worst case). A pure-Python loop's time is printed as this machine's speed of the moment,
since shared machines differ by half from one run to the next. And the reading page's "text
visible": headless Chromium (Debian's, as the browser tests use) opens an untouched
article with an empty cache, BENCH_VIEWS times (default 9); from navigation start to the
first paint of the article text (the Largest Contentful Paint entry inside #article-body),
and the bytes transferred for what the text needed (the document and every render-blocking
resource), beside everything the page loads. Each view is measured twice: in a new tab
(a new browser context), and as an analyst reaches it, from the article list in the same
tab with the browser cache switched off. The new tab pays for a renderer process of its
own (the page's Cross-Origin-Opener-Policy puts it in a new browsing context group),
which the app cannot shorten. Before the views every gunicorn worker has rendered the
page once, as on a server that has been running: a new worker's first render of a
template compiles it.
"""

import http.client
import http.cookiejar
import os
import random
import re
import resource
import shutil
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
PORT = int(os.environ.get("BENCH_PORT", 8230))
DOCUMENTS = 1_000
CREATES = int(os.environ.get("BENCH_CREATES", 4_000))
VIEWS = int(os.environ.get("BENCH_VIEWS", 9))
WORDS = [
    "the",
    "minister",
    "said",
    "coalition",
    "partner",
    "drone",
    "strike",
    "official",
    "government",
    "report",
    "military",
    "talks",
]


def write_documents(folder, rng):
    """News-length documents with a news story's typography (curly quotes, an apostrophe,
    a dash): text that is not ASCII takes other, slower paths through Python's string code."""

    def words(n):
        return " ".join(rng.choice(WORDS) for _ in range(n))

    for i in range(DOCUMENTS):
        paragraphs = [
            f"“{words(30).capitalize()},” the official’s {words(28)} — {words(30)}." for _ in range(7)
        ]
        (folder / f"doc{i:04d}.txt").write_text(f"Document {i}\n\n" + "\n\n".join(paragraphs) + "\n")


def server_cpu_seconds(pid):
    """User + system CPU time of the gunicorn arbiter and its workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if stat.parent.name == str(pid) or fields[1] == str(pid):
            total += int(fields[11]) + int(fields[12])
    return total / tick


# Run in the page once it has loaded: when the article text was first painted, and what
# was transferred. transferSize counts headers and the (compressed) body as sent.
PAINT_FIGURES = """async () => {
  // The load event can come before the first paint (nothing blocks rendering but the
  // document): wait for the paint of the text itself, not only what was painted so far.
  const body = document.querySelector("#article-body");
  const inBody = (entry) => entry.element && body.contains(entry.element);
  const text = await new Promise((resolve) => {
    new PerformanceObserver((list) => {
      const found = list.getEntries().find(inBody);
      if (found) resolve(found);
    }).observe({type: "largest-contentful-paint", buffered: true});
    setTimeout(() => resolve(null), 10000);
  });
  const fcp = performance.getEntriesByName("first-contentful-paint")[0];
  const navigation = performance.getEntriesByType("navigation")[0];
  const resources = performance.getEntriesByType("resource");
  const blocking = resources.filter((r) => r.renderBlockingStatus === "blocking");
  const sum = (list) => list.reduce((total, r) => total + r.transferSize, 0);
  return {
    text: text ? text.startTime : null,
    first_byte: navigation.responseStart,
    document: navigation.responseEnd,
    blocking_done: Math.max(navigation.responseEnd, ...blocking.map((r) => r.responseEnd)),
    fcp: fcp ? fcp.startTime : null,
    needed_bytes: navigation.transferSize + sum(blocking),
    needed_requests: 1 + blocking.length,
    all_bytes: navigation.transferSize + sum(resources),
    all_requests: 1 + resources.length,
    blocking: blocking.map((r) => r.name),
  };
}"""


def warm_workers(opener, url, workers=5, rounds=3):
    """Have each gunicorn worker render `url` once: concurrent requests, so they spread
    over the workers instead of queueing on one."""
    from concurrent.futures import ThreadPoolExecutor

    def fetch(_):
        with opener.open(url) as response:
            response.read()

    with ThreadPoolExecutor(workers * 2) as pool:
        for _ in range(rounds):
            list(pool.map(fetch, range(workers * 2)))


def text_visible(base, cookies, article_id, *, in_app):
    """The reading page in headless Chromium, each view with an empty cache: in a new tab,
    or (`in_app`) reached from the article list in the same tab with the cache off."""
    from playwright.sync_api import sync_playwright

    sys.path.insert(0, str(ROOT))
    from articles.conftest import CHROMIUM_FLAGS

    views = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=shutil.which("chromium"), args=CHROMIUM_FLAGS)
        try:
            for _ in range(VIEWS):
                context = browser.new_context(viewport={"width": 1280, "height": 900})
                context.add_cookies([{"name": c.name, "value": c.value, "url": base} for c in cookies])
                page = context.new_page()
                if in_app:
                    cdp = context.new_cdp_session(page)
                    cdp.send("Network.enable")
                    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
                    page.goto(f"{base}/", wait_until="load")
                page.goto(f"{base}/articles/{article_id}/", wait_until="load")
                figures = page.evaluate(PAINT_FIGURES)
                assert figures["text"] is not None, "the article text was never the largest paint"
                views.append(figures)
                context.close()
        finally:
            browser.close()
    return views


def commit_milliseconds(folder, synchronous, commits=200):
    """Median time of a one-row SQLite commit in WAL mode on this disk: with FULL, what one
    durable create must wait for whatever the Python side costs."""
    path = folder / f"fsync-{synchronous}.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)")
    timings = []
    for _ in range(commits):
        began = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("INSERT INTO t (v) VALUES (?)", ("x" * 300,))
        db.execute("COMMIT")
        timings.append((time.perf_counter() - began) * 1000)
    db.close()
    return statistics.median(timings)


def python_speed():
    """Milliseconds for a fixed pure-Python loop: how fast this machine runs Python now."""
    began = time.perf_counter()
    total = 0
    for i in range(2_000_000):
        total += i
    return (time.perf_counter() - began) * 1000


def two_word_passages(text, overlapping=False):
    """(start, end, quote) of each two-word passage of `text`, in order; with `overlapping`,
    every pair of neighbouring words (each word starts one)."""
    if overlapping:
        return [(m.start(1), m.end(1), m.group(1)) for m in re.finditer(r"\b(?=(\w+ \w+))", text)]
    return [(*match.span(), match.group()) for match in re.finditer(r"\w+ \w+", text)]


def create_spans(port, csrf, cookie, targets, server_pid):
    """POST each (article_id, start, end, quote, label_id) as the reader does, one at a time
    over one kept-alive connection; the times in ms, and the server's CPU seconds for them all."""
    headers = {
        "HX-Request": "true",
        "X-CSRFToken": csrf,
        "Referer": f"http://127.0.0.1:{port}/",
        "Cookie": cookie,
        "Content-Type": "application/x-www-form-urlencoded",
    }
    requests = [
        (
            f"/articles/{article_id}/annotations/",
            urllib.parse.urlencode({"label": label_id, "start": start, "end": end, "quote": quote}),
        )
        for article_id, start, end, quote, label_id in targets
    ]
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    timings = []
    cpu_before = server_cpu_seconds(server_pid)
    began_all = time.perf_counter()
    for path, data in requests:
        began = time.perf_counter()
        connection.request("POST", path, data, headers)
        response = connection.getresponse()
        response.read()
        assert response.status == 200, response.status
        timings.append((time.perf_counter() - began) * 1000)
    total = time.perf_counter() - began_all
    cpu = server_cpu_seconds(server_pid) - cpu_before
    connection.close()
    return timings, total, cpu


def manage(env, *args, **kwargs):
    return subprocess.run([PY, "manage.py", *args], cwd=ROOT, env=env, check=True, **kwargs)


def main():
    rng = random.Random(5)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{tmp / 'bench.sqlite3'}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-only-secret-key-0123456789abcdefghijklmnopqrstuvwxyz",
            "HTTPS": "0",
            "ALLOWED_HOSTS": "127.0.0.1",
            # Static files as in production: collected, hashed, compressed, cached for a year.
            "STATIC_MANIFEST": "1",
            "STATIC_ROOT": str(tmp / "static"),
        }
        docs = tmp / "docs"
        docs.mkdir()
        write_documents(docs, rng)
        manage(env, "migrate", "-v0")
        manage(env, "collectstatic", "--noinput", "-v0")
        load_before = os.getloadavg()[0]
        children_cpu = resource.getrusage(resource.RUSAGE_CHILDREN)
        began = time.perf_counter()
        imported = manage(env, "import_articles", str(docs), stdout=subprocess.PIPE, text=True).stdout
        import_seconds = time.perf_counter() - began
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        import_cpu = after.ru_utime + after.ru_stime - children_cpu.ru_utime - children_cpu.ru_stime
        # The command's own last line: "1000 imported, 0 duplicate, 0 failed in 0.18 s".
        import_work = float(re.search(r" in ([\d.]+) s$", imported.strip()).group(1))
        fsync_full, fsync_off = commit_milliseconds(tmp, "FULL"), commit_milliseconds(tmp, "OFF")
        manage(
            env,
            "shell",
            "--no-imports",
            "-c",
            "from django.contrib.auth.models import Group, User; "
            "u = User.objects.create_user('bench', password='bench-password-123'); "
            "u.groups.add(Group.objects.get(name='Annotator'))",
        )
        db = sqlite3.connect(tmp / "bench.sqlite3")
        articles = db.execute("SELECT id, body FROM articles_article ORDER BY id").fetchall()
        label_id = db.execute("SELECT id FROM articles_label WHERE name = 'factual'").fetchone()[0]
        label_ids = [row[0] for row in db.execute("SELECT id FROM articles_label WHERE active ORDER BY id")]
        db.close()
        article_id = articles[0][0]
        # Two-word passages: 4 on each document (every 37th pair, so they seldom touch), and
        # then 4,000 on the first document: every pair of neighbouring words in turn, with
        # the next label on each pass (one analyst may tag a passage with a label only once).
        per_document = CREATES // len(articles)
        pairs = {pk: two_word_passages(text) for pk, text in articles}
        spread = [
            (pk, *pairs[pk][(round_ * 37 + 11) % len(pairs[pk])], label_id)
            for round_ in range(per_document)
            for pk, _ in articles
        ]
        deep = two_word_passages(articles[0][1], overlapping=True)
        spread_here = {(start, end, label) for pk, start, end, _, label in spread if pk == article_id}
        stacked = [
            (article_id, start, end, quote, label)
            for label in label_ids
            for start, end, quote in deep
            if (start, end, label) not in spread_here
        ][:CREATES]
        assert len(stacked) == CREATES, "too few distinct tags for the stacked run"

        server = subprocess.Popen(
            [PY, "-m", "gunicorn", "-c", "python:annotator.gunicorn_conf", "annotator.wsgi"]
            + ["--bind", f"127.0.0.1:{PORT}", "--workers", "5"],
            cwd=ROOT,
            env=env,
            stderr=subprocess.DEVNULL,
        )
        try:
            base = f"http://127.0.0.1:{PORT}"
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
            for _ in range(100):
                try:
                    opener.open(base + "/login/")
                    break
                except (urllib.error.URLError, ConnectionError):
                    time.sleep(0.1)
            csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")
            login = urllib.parse.urlencode(
                {"username": "bench", "password": "bench-password-123", "csrfmiddlewaretoken": csrf}
            ).encode()
            opener.open(
                urllib.request.Request(base + "/login/", login, headers={"Referer": base + "/login/"})
            )
            csrf = next(cookie.value for cookie in jar if cookie.name == "csrftoken")

            warm_workers(opener, f"{base}/articles/{article_id}/")
            views = text_visible(base, list(jar), article_id, in_app=False)
            in_app_views = text_visible(base, list(jar), article_id, in_app=True)

            cookie = "; ".join(f"{cookie.name}={cookie.value}" for cookie in jar)
            speed_before = python_speed()
            spread_run = create_spans(PORT, csrf, cookie, spread, server.pid)
            stacked_run = create_spans(PORT, csrf, cookie, stacked, server.pid)
            speed_after = python_speed()
        finally:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=30)
    print(
        f"load average: {load_before:.1f} before, {os.getloadavg()[0]:.1f} after, on {os.cpu_count()} cores"
    )
    print(
        f"import {DOCUMENTS:,} documents: {import_work:.2f} s of import work (the command's own figure); "
        f"whole import_articles command {import_seconds:.2f} s wall, {import_cpu:.2f} s CPU (process start included)"
    )
    print(
        f"SQLite commit on this disk (WAL, one row): {fsync_full:.2f} ms median with synchronous=FULL "
        f"(the durable setting), {fsync_off:.2f} ms without syncing: the floor under one durable create"
    )
    print(
        f"this machine's Python speed: a 2,000,000-step loop took {speed_before:.0f} ms before the creates "
        f"and {speed_after:.0f} ms after"
    )
    for name, (timings, total, cpu) in (
        (f"{per_document} on each of the {len(articles):,} documents", spread_run),
        (f"{CREATES:,} stacked on one article", stacked_run),
    ):
        print(
            f"span create, {len(timings):,} sequential requests, {name}: median "
            f"{statistics.median(timings):.1f} ms, {len(timings) / total:.0f} req/s, "
            f"server CPU {cpu / len(timings) * 1000:.1f} ms per request"
        )
    median = lambda key: statistics.median(view[key] for view in views)  # noqa: E731
    print(
        f"reading page, text visible (Chromium, empty cache, median of {VIEWS}): {median('text'):.0f} ms "
        f"(first byte {median('first_byte'):.0f} ms, document {median('document'):.0f} ms, "
        f"render-blocking CSS {median('blocking_done'):.0f} ms, "
        f"first contentful paint {median('fcp'):.0f} ms); needed {median('needed_bytes') / 1024:.1f} KB "
        f"in {median('needed_requests'):.0f} requests (document + render-blocking: "
        f"{', '.join(name.rsplit('/', 1)[-1] for name in views[0]['blocking']) or 'none'}); "
        f"the whole page {median('all_bytes') / 1024:.1f} KB in {median('all_requests'):.0f} requests"
    )
    print(
        "reading page reached from the article list, same tab, cache off: text visible "
        f"{statistics.median(view['text'] for view in in_app_views):.0f} ms "
        f"(first byte {statistics.median(view['first_byte'] for view in in_app_views):.0f} ms)"
    )


if __name__ == "__main__":
    main()
