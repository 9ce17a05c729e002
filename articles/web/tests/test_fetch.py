"""The SSRF guard: every refusal with its reason, and the checked address is the one connected to."""

import ipaddress

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from articles.web import fetch as fetch_module
from articles.web.fetch import FetchFailed, FetchRefused, fetch, parse_ipv4_loose
from articles.web.tests.server import Response, redirect


def refusal(url):
    with pytest.raises(FetchRefused) as info:
        fetch(url)
    return str(info.value)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("http://10.0.0.1/", "the address 10.0.0.1 is on a private network"),
        ("http://192.168.1.20:8080/admin", "the address 192.168.1.20 is on a private network"),
        ("http://172.16.5.4/", "the address 172.16.5.4 is on a private network"),
        ("http://169.254.169.254/latest/meta-data/", "the address 169.254.169.254 is link-local"),
        ("http://127.0.0.1/", "the address 127.0.0.1 is a loopback address"),
        ("http://0.0.0.0/", "the address 0.0.0.0 is unspecified"),
        ("http://224.0.0.1/", "the address 224.0.0.1 is a multicast address"),
        ("http://240.0.0.1/", "the address 240.0.0.1 is reserved"),
        ("http://100.64.0.1/", "the address 100.64.0.1 is not a public internet address"),
        # Decimal, octal and hex spellings that inet_aton (and so the resolver) accepts.
        ("http://2130706433/", "the address 127.0.0.1 is a loopback address"),
        ("http://0177.0.0.1/", "the address 127.0.0.1 is a loopback address"),
        ("http://0x7f000001/", "the address 127.0.0.1 is a loopback address"),
        ("http://0x7f.1/", "the address 127.0.0.1 is a loopback address"),
        ("http://012.0.0.1/", "the address 10.0.0.1 is on a private network"),
        ("http://[::1]/", "the address ::1 is a loopback address"),
        ("http://[::]/", "the address :: is unspecified"),
        ("http://[fe80::1]/", "the address fe80::1 is link-local"),
        ("http://[fd00::1]/", "the address fd00::1 is on a private network"),
        ("http://[ff02::1]/", "the address ff02::1 is a multicast address"),
        ("http://[::ffff:127.0.0.1]/", "the address 127.0.0.1 is a loopback address (inside the IPv6"),
        ("http://[::ffff:10.1.2.3]/", "the address 10.1.2.3 is on a private network (inside the IPv6"),
        ("http://[64:ff9b::a00:1]/", "the address 10.0.0.1 is on a private network (inside the IPv6"),
        ("http://[2002:7f00:1::]/", "the address 127.0.0.1 is a loopback address (inside the IPv6"),
    ],
)
def test_it_refuses_non_public_addresses(settings, url, reason):
    settings.ANNOTATOR_FETCH_ALLOW = []
    assert refusal(url).startswith("refused: " + reason)


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "only http and https URLs can be fetched, not file"),
        ("ftp://example.org/x", "only http and https URLs can be fetched, not ftp"),
        ("gopher://example.org:70/", "only http and https URLs can be fetched, not gopher"),
        ("http:///nohost", "the URL has no host"),
        ("http://user:pw@example.org/", "URLs with a user name or password are not fetched"),
        ("http://example.org:99999/", "the URL is not valid"),
    ],
)
def test_it_refuses_other_schemes_and_odd_urls(url, reason):
    assert refusal(url) == "refused: " + reason


def test_it_refuses_a_host_name_that_resolves_to_loopback(settings):
    settings.ANNOTATOR_FETCH_ALLOW = []
    assert refusal("http://localhost/") in (
        "refused: the address 127.0.0.1 is a loopback address (localhost resolves there)",
        "refused: the address ::1 is a loopback address (localhost resolves there)",
    )


def test_it_refuses_a_name_with_any_private_address(settings, monkeypatch):
    settings.ANNOTATOR_FETCH_ALLOW = []
    answers = [ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.0.0.7")]
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: answers)
    assert refusal("https://news.example/") == (
        "refused: the address 10.0.0.7 is on a private network (news.example resolves there)"
    )


def test_it_refuses_a_name_that_does_not_resolve(monkeypatch):
    def fail(host, port):
        raise OSError("no such name")

    monkeypatch.setattr(fetch_module, "resolve", fail)
    assert (
        refusal("https://no-such-host.example/")
        == "refused: the host name no-such-host.example does not resolve"
    )


def test_it_fetches_from_an_allowed_network(fixture_server):
    fixture_server.routes["/story"] = Response(b"<html><body><p>Hello</p></body></html>")
    result = fetch(fixture_server.url("/story"))
    assert result.status == 200
    assert result.body == b"<html><body><p>Hello</p></body></html>"
    assert result.final_url == fixture_server.url("/story")
    assert result.text == "<html><body><p>Hello</p></body></html>"


def test_it_allows_a_listed_host_name(settings):
    from articles.web.tests.server import FixtureServer

    settings.ANNOTATOR_FETCH_ALLOW = ["localhost"]
    with FixtureServer() as server:
        server.routes["/"] = Response(b"<p>hi</p>")
        assert fetch(server.url("/", host="localhost")).body == b"<p>hi</p>"


def test_it_connects_to_the_address_it_checked(fixture_server, settings, monkeypatch):
    """DNS rebinding: a second lookup would answer a private address; it is never made."""
    settings.ANNOTATOR_FETCH_ALLOW = ["127.0.0.1/32"]
    answers = iter([[ipaddress.ip_address("127.0.0.1")], [ipaddress.ip_address("10.9.9.9")]])
    calls = []

    def rebinding_resolver(host, port):
        calls.append(host)
        return next(answers)

    monkeypatch.setattr(fetch_module, "resolve", rebinding_resolver)
    fixture_server.routes["/story"] = Response(b"<p>story</p>")
    result = fetch(f"http://news.test:{fixture_server.port}/story")
    assert result.body == b"<p>story</p>"
    assert calls == ["news.test"]
    # The request went to the vetted address, named as the host in the URL.
    assert fixture_server.requests == [("/story", f"news.test:{fixture_server.port}")]


def test_it_follows_redirects_and_checks_each_target(fixture_server):
    fixture_server.routes["/old"] = redirect("/new", 301)
    fixture_server.routes["/new"] = Response(b"<p>moved</p>")
    result = fetch(fixture_server.url("/old"))
    assert result.final_url == fixture_server.url("/new")
    assert result.redirects == [fixture_server.url("/new")]


def test_it_refuses_a_redirect_from_an_allowed_host_to_a_private_one(fixture_server):
    fixture_server.routes["/go"] = redirect(f"http://127.0.0.2:{fixture_server.port}/admin")
    fixture_server.routes["/meta"] = redirect("http://169.254.169.254/latest/meta-data/", 307)
    assert refusal(fixture_server.url("/go")).startswith(
        "refused: the address 127.0.0.2 is a loopback address"
    )
    assert refusal(fixture_server.url("/meta")) == "refused: the address 169.254.169.254 is link-local"
    assert [path for path, _ in fixture_server.requests] == ["/go", "/meta"]


def test_it_refuses_a_redirect_to_another_scheme(fixture_server):
    fixture_server.routes["/go"] = redirect("file:///etc/passwd")
    assert refusal(fixture_server.url("/go")) == "refused: only http and https URLs can be fetched, not file"


def test_it_refuses_a_redirect_loop(fixture_server):
    fixture_server.routes["/a"] = redirect("/b")
    fixture_server.routes["/b"] = redirect("/a")
    assert refusal(fixture_server.url("/a")) == "refused: the page redirects in a loop"


def test_it_follows_five_redirects_but_not_six(fixture_server):
    for n in range(1, 7):
        fixture_server.routes[f"/r{n}"] = redirect(f"/r{n + 1}")
    fixture_server.routes["/r7"] = Response(b"<p>end</p>")
    assert fetch(fixture_server.url("/r2")).body == b"<p>end</p>"  # 5 redirects
    assert refusal(fixture_server.url("/r1")) == "refused: more than 5 redirects"


def test_it_refuses_an_oversized_body(fixture_server, settings):
    settings.ANNOTATOR_FETCH_MAX_BYTES = 1000
    fixture_server.routes["/big"] = Response(b"x" * 1001)
    # No Content-Length: the cap holds while reading, too.
    fixture_server.routes["/big-unannounced"] = Response(
        [(b"<p>" + b"x" * 600, 0), (b"x" * 600, 0)], headers={"Connection": "close"}
    )
    fixture_server.routes["/fits"] = Response(b"x" * 1000)
    assert refusal(fixture_server.url("/big")) == "refused: the page is larger than the 1000 bytes limit"
    assert (
        refusal(fixture_server.url("/big-unannounced"))
        == "refused: the page is larger than the 1000 bytes limit"
    )
    assert len(fetch(fixture_server.url("/fits")).body) == 1000


def test_it_reads_an_http_1_0_response_under_the_same_limits(fixture_server, settings):
    """HTTP/1.0 (and "Connection: close") responses: http.client lets go of the socket early."""
    settings.ANNOTATOR_FETCH_TIMEOUT = 1
    fixture_server.routes["/old"] = Response(b"<p>old server</p>", protocol="HTTP/1.0")
    fixture_server.routes["/old-slow"] = Response([(b"<p>", 0)] + [(b"x", 0.3)] * 10, protocol="HTTP/1.0")
    assert fetch(fixture_server.url("/old")).body == b"<p>old server</p>"
    assert refusal(fixture_server.url("/old-slow")) == "refused: the page took longer than the 1-second limit"


def test_the_default_size_cap_is_5_mb(fixture_server):
    fixture_server.routes["/big"] = Response(b"x" * (5 * 1024 * 1024 + 1))
    assert refusal(fixture_server.url("/big")) == "refused: the page is larger than the 5 MB limit"


def test_it_refuses_a_slow_body(fixture_server, settings):
    settings.ANNOTATOR_FETCH_TIMEOUT = 1
    # Each byte arrives well within a socket timeout; only the total limit stops it.
    fixture_server.routes["/slow"] = Response([(b"<p>", 0)] + [(b"x", 0.3)] * 10)
    assert refusal(fixture_server.url("/slow")) == "refused: the page took longer than the 1-second limit"


def test_it_refuses_a_slow_first_byte(fixture_server, settings):
    settings.ANNOTATOR_FETCH_TIMEOUT = 0.5
    fixture_server.routes["/stall"] = Response([(b"<p>late</p>", 2)], headers={"Content-Length": "11"})
    assert refusal(fixture_server.url("/stall")) == "refused: the page took longer than the 0.5-second limit"


@pytest.mark.parametrize("content_type", ["application/pdf", "image/png", "application/json", ""])
def test_it_refuses_other_content_types(fixture_server, content_type):
    fixture_server.routes["/file"] = Response(b"%PDF-1.4", content_type=content_type)
    shown = content_type or "no content type"
    assert (
        refusal(fixture_server.url("/file"))
        == f"refused: the content type is {shown}, not HTML or plain text"
    )


def test_it_accepts_plain_text_and_xhtml(fixture_server):
    fixture_server.routes["/t"] = Response(b"Title\n\nBody", content_type="text/plain")
    fixture_server.routes["/x"] = Response(b"<p/>", content_type="application/xhtml+xml")
    assert fetch(fixture_server.url("/t")).text == "Title\n\nBody"
    assert fetch(fixture_server.url("/x")).body == b"<p/>"


def test_it_reports_http_errors_and_closed_ports(fixture_server):
    fixture_server.routes["/gone"] = Response(b"", status=410, content_type="text/plain")
    with pytest.raises(FetchFailed, match="HTTP 410"):
        fetch(fixture_server.url("/gone"))
    with pytest.raises(FetchFailed, match="could not connect to 127.0.0.1"):
        fetch("http://127.0.0.1:9/")


def test_it_decodes_with_the_declared_charset(fixture_server):
    html = "<meta charset='windows-1252'><p>caf\xe9 \u2013 na\xefve</p>".encode("cp1252")
    fixture_server.routes["/latin"] = Response(html, content_type="text/html")
    assert "café – naïve" in fetch(fixture_server.url("/latin")).text


@pytest.mark.parametrize(
    ("host", "address"),
    [
        ("2130706433", "127.0.0.1"),
        ("0x7f.0.0.1", "127.0.0.1"),
        ("0177.1", "127.0.0.1"),
        ("127.1", "127.0.0.1"),
        ("10.1.258", "10.1.1.2"),
        ("0", "0.0.0.0"),  # noqa: S104
        ("8.8.8.8", "8.8.8.8"),
    ],
)
def test_it_reads_every_ipv4_spelling(host, address):
    assert parse_ipv4_loose(host) == ipaddress.IPv4Address(address)


@pytest.mark.parametrize("host", ["example.org", "1.2.3.4.5", "256.1.1.1", "08.1.1.1", "1..2", "0x7g"])
def test_it_leaves_names_alone(host):
    assert parse_ipv4_loose(host) is None


def test_it_undoes_gzip_sent_anyway_under_the_size_cap(fixture_server, settings):
    import gzip

    settings.ANNOTATOR_FETCH_MAX_BYTES = 10_000
    fixture_server.routes["/gz"] = Response(
        gzip.compress(b"<p>zipped</p>"), headers={"Content-Encoding": "gzip"}
    )
    fixture_server.routes["/bomb"] = Response(
        gzip.compress(b" " * 1_000_000), headers={"Content-Encoding": "gzip"}
    )
    fixture_server.routes["/br"] = Response(b"\x00\x01", headers={"Content-Encoding": "br"})
    assert fetch(fixture_server.url("/gz")).body == b"<p>zipped</p>"
    assert refusal(fixture_server.url("/bomb")) == "refused: the page is larger than the 10000 bytes limit"
    with pytest.raises(FetchFailed, match="compressed as br"):
        fetch(fixture_server.url("/br"))


@given(
    st.lists(
        st.one_of(
            st.integers(0, 2**32).map(str),
            st.integers(0, 2**32).map(lambda n: f"0x{n:x}"),
            st.integers(0, 2**32).map(lambda n: f"0{n:o}"),
            st.text("0123456789abcdefx", min_size=1, max_size=6),
        ),
        min_size=1,
        max_size=5,
    ).map(".".join)
)
@example("0x")  # glibc refuses a bare 0x; found by this test
@example("0x.1")
def test_it_reads_ipv4_spellings_exactly_as_inet_aton_does(host):
    """The resolver accepts what inet_aton accepts; the guard must see the same address."""
    import socket

    try:
        expected = ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        expected = None
    assert parse_ipv4_loose(host) == expected


def test_a_slow_lookup_counts_against_the_time_limit(settings, monkeypatch):
    import time

    settings.ANNOTATOR_FETCH_TIMEOUT = 0.3

    def slow_resolver(host, port):
        time.sleep(1)
        return [ipaddress.ip_address("93.184.215.14")]

    monkeypatch.setattr(fetch_module, "resolve", slow_resolver)
    started = time.monotonic()
    assert (
        refusal("https://slow-dns.example/")
        == "refused: the host name slow-dns.example did not resolve in time"
    )
    assert time.monotonic() - started < 0.8
