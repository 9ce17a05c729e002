"""Fetching a web page from the server without opening an SSRF hole.

Every fetch goes through `fetch()`:

- only http and https URLs, on any port;
- the host is resolved once per hop and every address is checked: loopback, private,
  link-local, multicast, reserved, unspecified and other non-public addresses are refused
  (IPv4 and IPv6, IPv4-mapped and 6to4/NAT64 forms, and the decimal/octal/hex spellings of
  IPv4 that `inet_aton` accepts, such as 2130706433 or 0x7f.1);
- the connection goes to the address that was checked (the name is used only for the Host
  header and TLS SNI/certificate check), so a DNS answer that changes between the check
  and the connect (rebinding) cannot reach another host;
- redirects are followed by hand, at most MAX_REDIRECTS, each target checked again;
- the body is capped in size and the whole fetch in time, and only the content types the
  caller accepts (HTML or plain text for articles) are read.

Each refusal raises FetchRefused with a one-line reason for the user. The setting
ANNOTATOR_FETCH_ALLOW lists host names (exact, or ".example.org" for a domain and its
subdomains) and networks ("10.1.0.0/16", "127.0.0.1") that are allowed despite the rule.
"""

import http.client
import ipaddress
import re
import socket
import ssl
import time
import zlib
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils import timezone

MAX_REDIRECTS = 5
PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
FEED_TYPES = (
    "application/rss+xml",
    "application/atom+xml",
    "application/xml",
    "text/xml",
    "application/rdf+xml",
)
USER_AGENT = "Annotator/1.0 (news annotation; +https://github.com/)"
_CHUNK = 64 * 1024


class FetchRefused(Exception):
    """The URL was not fetched; str() is the user-facing reason ("refused: …")."""

    def __init__(self, reason):
        super().__init__(reason)
        self.reason = reason

    def __str__(self):
        return f"refused: {self.reason}"


class FetchFailed(Exception):
    """The fetch was allowed but did not succeed (HTTP error, connection refused, TLS)."""


@dataclass
class FetchResult:
    url: str  # as requested
    final_url: str  # after redirects
    status: int
    content_type: str
    body: bytes
    fetched_at: datetime
    redirects: list[str] = field(default_factory=list)

    @property
    def text(self):
        return decode_body(self.body, self.content_type)


# ---------------------------------------------------------------------- addresses

_IPV4_PART = re.compile(r"^(0x[0-9a-f]*|0[0-7]*|[1-9][0-9]*)$", re.IGNORECASE)


def parse_ipv4_loose(host):
    """An IPv4 address in any spelling inet_aton accepts (2130706433, 0177.1, 0x7f.0.0.1), else None."""
    parts = host.rstrip(".").split(".") if host else []
    if not 1 <= len(parts) <= 4 or not all(_IPV4_PART.match(p) for p in parts):
        return None
    numbers = []
    for part in parts:
        if part.lower().startswith("0x"):
            if len(part) == 2:  # a bare "0x" is no number to inet_aton
                return None
            numbers.append(int(part[2:], 16))
        elif part.startswith("0") and len(part) > 1:
            numbers.append(int(part, 8))
        else:
            numbers.append(int(part))
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = 0
    for n in head:
        value = value * 256 + n
    value = value * 256 ** (5 - len(numbers)) + last
    return ipaddress.IPv4Address(value)


def parse_ip(host):
    """The address a URL host names literally (IPv6 in brackets, or IPv4 in any spelling), else None."""
    host = host.strip("[]")
    try:
        return ipaddress.ip_address(host.split("%")[0])
    except ValueError:
        return parse_ipv4_loose(host)


def _embedded_ipv4(address):
    if address.version != 6:
        return None
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address.sixtofour:
        return address.sixtofour
    if address in ipaddress.ip_network("64:ff9b::/96"):  # NAT64
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def address_problem(address):
    """Why a connection to `address` is refused, or None when it is a public address."""
    inner = _embedded_ipv4(address)
    if inner is not None:
        problem = address_problem(inner)
        return problem and f"{problem} (inside the IPv6 address {address})"
    if address.is_unspecified:
        return f"the address {address} is unspecified"
    if address.is_loopback:
        return f"the address {address} is a loopback address"
    if address.is_link_local:
        return f"the address {address} is link-local"
    if address.is_multicast:
        return f"the address {address} is a multicast address"
    if address.is_reserved:
        return f"the address {address} is reserved"
    if address.is_private:
        return f"the address {address} is on a private network"
    if not address.is_global:
        return f"the address {address} is not a public internet address"
    return None


def _allow_rules():
    names, networks = [], []
    for entry in getattr(settings, "ANNOTATOR_FETCH_ALLOW", ()) or ():
        entry = entry.strip().lower()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.append(entry)
    return names, networks


def _host_allowed(host, names):
    host = host.lower().rstrip(".")
    return any(host == n or (n.startswith(".") and (host == n[1:] or host.endswith(n))) for n in names)


def resolve(host, port):
    """All addresses of `host` (getaddrinfo); a seam for tests."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos]


# getaddrinfo cannot be interrupted; a lookup that outlives the fetch's time limit is left
# to finish in this pool while the fetch is refused.
_RESOLVERS = ThreadPoolExecutor(max_workers=4, thread_name_prefix="fetch-resolve")


def _resolve_within(host, port, seconds):
    try:
        return _RESOLVERS.submit(resolve, host, port).result(timeout=max(seconds, 0.001))
    except FutureTimeout:
        raise FetchRefused(f"the host name {host} did not resolve in time") from None


def vetted_address(host, port, seconds=None):
    """Resolve `host` and return the one address to connect to, or raise FetchRefused."""
    names, networks = _allow_rules()
    literal = parse_ip(host)
    if literal is not None:
        addresses = [literal]
    else:
        try:
            addresses = resolve(host, port) if seconds is None else _resolve_within(host, port, seconds)
        except (OSError, UnicodeError):
            raise FetchRefused(f"the host name {host} does not resolve") from None
        if not addresses:
            raise FetchRefused(f"the host name {host} does not resolve")
    if _host_allowed(host, names):
        return addresses[0]
    # Every address must pass: an attacker's name may list a public and a private one.
    for address in addresses:
        if any(address in net for net in networks):
            continue
        problem = address_problem(address)
        if problem:
            where = "" if literal is not None else f" ({host} resolves there)"
            raise FetchRefused(problem + where)
    return addresses[0]


# ---------------------------------------------------------------------- connections


class _KeepSocket:
    """http.client closes the socket as soon as it reads a "Connection: close" response's
    headers; the body reader still sets the socket's timeout to what is left of the fetch's
    time limit, so the socket is closed only when the fetch is over (`release()`)."""

    _kept = True

    def close(self):
        if not self._kept:
            super().close()

    def release(self):
        self._kept = False
        self.close()


class _PinnedHTTPConnection(_KeepSocket, http.client.HTTPConnection):
    """Connects to a vetted address; the Host header still names the host."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((str(self._address), self.port), self.timeout)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


def tls_context():
    """Certificates checked against the system's CAs, for the host name in the URL; a seam for tests."""
    return ssl.create_default_context()


class _PinnedHTTPSConnection(_KeepSocket, http.client.HTTPSConnection):
    """TLS to a vetted address, with SNI and certificate check against the host name."""

    def __init__(self, host, port, address, timeout):
        super().__init__(host, port, timeout=timeout, context=tls_context())
        self._address = address

    def connect(self):
        sock = socket.create_connection((str(self._address), self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def check_url(url):
    """Parse and check the scheme and host of `url`; return (scheme, host, port, path)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise FetchRefused("the URL is not valid") from None
    scheme = parts.scheme.lower()
    if scheme not in ("http", "https"):
        raise FetchRefused(f"only http and https URLs can be fetched, not {scheme or 'this'}")
    host = parts.hostname
    if not host:
        raise FetchRefused("the URL has no host")
    if parts.username or parts.password:
        raise FetchRefused("URLs with a user name or password are not fetched")
    port = port or (443 if scheme == "https" else 80)
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return scheme, host, port, path


def _media_type(content_type):
    return content_type.split(";")[0].strip().lower()


def fetch(url, *, accept=PAGE_TYPES, max_bytes=None, timeout=None):
    """GET `url` under the rules above; return a FetchResult or raise FetchRefused/FetchFailed."""
    max_bytes = max_bytes or settings.ANNOTATOR_FETCH_MAX_BYTES
    timeout = timeout or settings.ANNOTATOR_FETCH_TIMEOUT
    deadline = time.monotonic() + timeout
    seen = []
    current = url.strip()
    while True:
        scheme, host, port, path = check_url(current)
        if current in seen:
            raise FetchRefused("the page redirects in a loop")
        seen.append(current)
        address = vetted_address(host, port, deadline - time.monotonic())
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchRefused(f"the page took longer than the {timeout:g}-second limit")
        connection_class = _PinnedHTTPSConnection if scheme == "https" else _PinnedHTTPConnection
        connection = connection_class(host, port, address, timeout=remaining)
        try:
            response = _request(connection, path, deadline)
            if response.status in (301, 302, 303, 307, 308):
                location = response.getheader("Location")
                if not location:
                    raise FetchFailed(f"HTTP {response.status} without a Location header")
                if len(seen) > MAX_REDIRECTS:
                    raise FetchRefused(f"more than {MAX_REDIRECTS} redirects")
                current = urljoin(current, location.strip())
                continue
            if response.status != 200:
                raise FetchFailed(f"the server answered HTTP {response.status} {response.reason}".strip())
            content_type = response.getheader("Content-Type", "")
            media_type = _media_type(content_type)
            if media_type not in accept:
                shown = media_type or "no content type"
                raise FetchRefused(f"the content type is {shown}, not {' or '.join(_kinds(accept))}")
            body = _read_capped(connection.sock, response, max_bytes, deadline, timeout)
            body = _decoded(body, response.getheader("Content-Encoding", ""), max_bytes)
            return FetchResult(
                url=url,
                final_url=current,
                status=response.status,
                content_type=content_type,
                body=body,
                fetched_at=timezone.now(),
                redirects=seen[1:],
            )
        except TimeoutError:
            raise FetchRefused(f"the page took longer than the {timeout:g}-second limit") from None
        except ssl.SSLError as exc:
            raise FetchFailed(f"secure connection failed ({exc.reason or exc})") from None
        except (ConnectionError, http.client.HTTPException, OSError) as exc:
            detail = getattr(exc, "strerror", None) or exc.__class__.__name__
            raise FetchFailed(f"could not connect to {host} ({detail})") from None
        finally:
            connection.release()


def _kinds(accept):
    return ["HTML or plain text"] if accept == PAGE_TYPES else ["an RSS or Atom feed"]


def _request(connection, path, deadline):
    connection.putrequest("GET", path, skip_accept_encoding=True)
    connection.putheader("User-Agent", USER_AGENT)
    connection.putheader("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.5")
    connection.putheader("Accept-Encoding", "identity")
    connection.endheaders()
    response = connection.getresponse()
    if time.monotonic() > deadline:
        raise TimeoutError
    return response


def _read_capped(sock, response, max_bytes, deadline, timeout):
    limit = _limit(max_bytes)
    length = response.getheader("Content-Length")
    if length and length.isdigit() and int(length) > max_bytes:
        raise FetchRefused(f"the page is larger than the {limit} limit")
    chunks, size = [], 0
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise FetchRefused(f"the page took longer than the {timeout:g}-second limit")
        # A slow body that sends a byte now and then must not outlive the deadline.
        sock.settimeout(remaining)
        chunk = response.read1(_CHUNK)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise FetchRefused(f"the page is larger than the {limit} limit")
        chunks.append(chunk)
    return b"".join(chunks)


def _decoded(body, encoding, max_bytes):
    """Undo a gzip/deflate Content-Encoding (sent despite our "identity"), under the same size cap."""
    encoding = encoding.strip().lower()
    if encoding in ("", "identity"):
        return body
    if encoding not in ("gzip", "x-gzip", "deflate"):
        raise FetchFailed(f"the page is compressed as {encoding}, which is not supported")
    decompressor = zlib.decompressobj(47 if encoding != "deflate" else zlib.MAX_WBITS)
    try:
        data = decompressor.decompress(body, max_bytes + 1)
    except zlib.error:
        raise FetchFailed(f"the page's {encoding} compression is broken") from None
    if len(data) > max_bytes:
        raise FetchRefused(f"the page is larger than the {_limit(max_bytes)} limit")
    return data


def _limit(max_bytes):
    return f"{max_bytes / 1024 / 1024:g} MB" if max_bytes >= 1024 * 1024 else f"{max_bytes} bytes"


_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"""<\?xml[^>]+encoding=["']([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def decode_body(body, content_type=""):
    """Text of a fetched body: the header's charset, else the page's <meta>/XML declaration, else UTF-8."""
    candidates = []
    match = re.search(r"charset=\"?([\w.:-]+)", content_type or "", re.IGNORECASE)
    if match:
        candidates.append(match.group(1))
    head = body[:4096]
    for pattern in (_META_CHARSET, _XML_ENCODING):
        found = pattern.search(head)
        if found:
            candidates.append(found.group(1).decode("ascii"))
    if body.startswith(b"\xef\xbb\xbf"):
        candidates.insert(0, "utf-8-sig")
    candidates.append("utf-8")
    for encoding in candidates:
        try:
            return body.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return body.decode("utf-8", errors="replace")
