"""A local HTTP server for the web tests: no test ever reaches the network.

Routes map a path to a Response; a body may be a list of (bytes, delay) chunks to make a
slow or dripping response.
"""

import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

FIXTURES = Path(__file__).parent / "fixtures"


@dataclass
class Response:
    body: bytes | list = b""
    status: int = 200
    content_type: str = "text/html; charset=utf-8"
    headers: dict = field(default_factory=dict)
    protocol: str = "HTTP/1.1"


def page(name):
    return Response((FIXTURES / name).read_bytes())


def redirect(location, status=302):
    return Response(b"", status=status, headers={"Location": location})


class FixtureServer:
    def __init__(self, tls=None):
        """`tls`: an ssl.SSLContext to serve HTTPS with."""
        self.routes = {}
        self.requests = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args):
                pass

            def do_GET(self):
                server.requests.append((self.path, self.headers.get("Host")))
                response = server.routes.get(self.path)
                if response is None:
                    response = Response(b"not found", status=404, content_type="text/plain")
                self.protocol_version = response.protocol
                self.send_response(response.status)
                if response.content_type:
                    self.send_header("Content-Type", response.content_type)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                chunks = response.body if isinstance(response.body, list) else [(response.body, 0)]
                if "Content-Length" not in response.headers and not response.headers.get("Connection"):
                    self.send_header("Content-Length", str(sum(len(c) for c, _ in chunks)))
                self.end_headers()
                try:
                    for chunk, delay in chunks:
                        if delay:
                            time.sleep(delay)
                        self.wfile.write(chunk)
                        self.wfile.flush()
                except (BrokenPipeError, ConnectionResetError):
                    pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.scheme = "http"
        if tls is not None:
            self.httpd.socket = tls.wrap_socket(self.httpd.socket, server_side=True)
            self.scheme = "https"
        self.port = self.httpd.server_address[1]
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        )

    def url(self, path, host="127.0.0.1"):
        return f"{self.scheme}://{host}:{self.port}{path}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()
