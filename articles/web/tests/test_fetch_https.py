"""HTTPS to the vetted address: the certificate is checked for the host name in the URL (SNI too)."""

import ipaddress
import shutil
import ssl
import subprocess

import pytest

from articles.web import fetch as fetch_module
from articles.web.fetch import FetchFailed, fetch
from articles.web.tests.server import FixtureServer, Response

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="needs the openssl command")


def openssl(*args, cwd):
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True)  # noqa: S603,S607


@pytest.fixture(scope="module")
def certificates(tmp_path_factory):
    """A throwaway CA and a certificate for news.test signed by it."""
    where = tmp_path_factory.mktemp("tls")
    (where / "server.ext").write_text(
        "subjectAltName=DNS:news.test\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nauthorityKeyIdentifier=keyid,issuer\nsubjectKeyIdentifier=hash\n"
    )
    openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem",
        "-days",
        "2",
        "-subj",
        "/CN=Annotator test CA",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=where,
    )
    openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=news.test",
        cwd=where,
    )
    openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.pem",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        cwd=where,
    )
    return where


@pytest.fixture
def https_server(certificates, settings, monkeypatch):
    settings.ANNOTATOR_FETCH_ALLOW = ["127.0.0.1"]
    server_context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_context.load_cert_chain(certificates / "server.pem", certificates / "server.key")
    seen_sni = []
    server_context.sni_callback = lambda sock, name, ctx: seen_sni.append(name)

    def trusting_context():
        context = ssl.create_default_context(cafile=str(certificates / "ca.pem"))
        return context

    monkeypatch.setattr(fetch_module, "tls_context", trusting_context)
    monkeypatch.setattr(fetch_module, "resolve", lambda host, port: [ipaddress.ip_address("127.0.0.1")])
    with FixtureServer(tls=server_context) as server:
        server.seen_sni = seen_sni
        yield server


def test_it_fetches_over_https_from_the_vetted_address(https_server):
    https_server.routes["/story"] = Response(b"<p>secure story</p>")
    result = fetch(f"https://news.test:{https_server.port}/story")
    assert result.body == b"<p>secure story</p>"
    assert https_server.seen_sni == ["news.test"]
    assert https_server.requests == [("/story", f"news.test:{https_server.port}")]


def test_it_refuses_a_certificate_for_another_name(https_server, monkeypatch):
    https_server.routes["/story"] = Response(b"<p>x</p>")
    with pytest.raises(FetchFailed, match="secure connection failed"):
        fetch(f"https://other.test:{https_server.port}/story")
