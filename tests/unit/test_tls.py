"""The generated certificate (mockazure/tls.py): made once, names localhost, verifies against its
CA under Python's default (strict) checks, and serves HTTPS through the live server."""

import ssl
from pathlib import Path

import httpx
import pytest
from cryptography import x509
from fastapi.testclient import TestClient

from mockazure.app import create_app
from mockazure.config import Settings
from mockazure.testing import live_server
from mockazure.tls.certificates import ensure_certificate
from mockazure.tls.serving import TlsError, resolve_tls
from tests.processes import free_port, serving


def test_certificate_is_made_once_and_reused(tmp_path: Path) -> None:
    cert, key = ensure_certificate(tmp_path)
    first = cert.read_bytes()
    assert ensure_certificate(tmp_path) == (cert, key)
    assert cert.read_bytes() == first
    assert (tmp_path / "tls" / "ca.pem").is_file()
    assert key.stat().st_mode & 0o077 == 0  # the private key is the owner's only


def test_certificate_names_localhost_and_loopback(tmp_path: Path) -> None:
    cert, _ = ensure_certificate(tmp_path)
    leaf = x509.load_pem_x509_certificate(cert.read_bytes())
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert san.get_values_for_type(x509.DNSName) == ["localhost"]
    assert [str(ip) for ip in san.get_values_for_type(x509.IPAddress)] == ["127.0.0.1", "::1"]


def test_an_extra_name_makes_a_new_certificate(tmp_path: Path) -> None:
    cert, _ = ensure_certificate(tmp_path)
    first = cert.read_bytes()
    ensure_certificate(tmp_path, ("mock.internal",))
    assert cert.read_bytes() != first
    leaf = x509.load_pem_x509_certificate(cert.read_bytes())
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert "mock.internal" in san.get_values_for_type(x509.DNSName)


def test_https_server_verifies_against_the_ca(tmp_path: Path) -> None:
    cert, key = ensure_certificate(tmp_path)
    ca = str(tmp_path / "tls" / "ca.pem")
    context = ssl.create_default_context(cafile=ca)  # strict X.509 checks where Python has them
    settings = Settings(tls_cert=cert, tls_key=key)
    with live_server(create_app(settings), tls=(cert, key)) as server:
        assert server.url.startswith("https://localhost:")
        assert httpx.get(f"{server.url}/_mock/health", verify=context).status_code == 200
        anchor = httpx.get(f"{server.url}/_mock/tls/ca.pem", verify=context)
        assert anchor.text == Path(ca).read_text()
        with pytest.raises(httpx.ConnectError):
            httpx.get(f"{server.url}/_mock/health", verify=ssl.create_default_context())


def test_ca_endpoint_without_tls_is_a_400(client: TestClient) -> None:
    response = client.get("/_mock/tls/ca.pem")
    assert response.status_code == 400
    assert response.json()["error"]["param"] == "tls"


def test_tls_options_must_fit_together(tmp_path: Path) -> None:
    with pytest.raises(TlsError, match="go together"):
        resolve_tls(Settings(tls=True, tls_cert=tmp_path / "c.pem"))
    with pytest.raises(TlsError, match="--workers 1"):
        resolve_tls(Settings(tls_port=8443, workers=2))
    assert resolve_tls(Settings()).tls_cert is None


def test_resolve_tls_generates_under_the_data_dir(tmp_path: Path) -> None:
    resolved = resolve_tls(Settings(tls=True, data_dir=tmp_path))
    assert resolved.tls_cert == tmp_path / "tls" / "cert.pem"
    assert resolved.tls_key is not None
    assert resolved.tls_key.is_file()


def test_serve_tls_port_answers_http_and_https_from_one_process(tmp_path: Path) -> None:
    """`mockazure serve --tls-port N`: HTTP on --port, HTTPS on N, one state (the image's mode)."""
    tls_port = free_port()
    with serving("--tls-port", str(tls_port), "--data-dir", str(tmp_path)) as url:
        ca = tmp_path / "tls" / "ca.pem"
        secure = f"https://localhost:{tls_port}"
        assert httpx.get(f"{url}/_mock/tls/ca.pem").text == ca.read_text()
        httpx.put(f"{url}/_mock/deployments/over-http", json={"model": "gpt-4o"}).raise_for_status()
        trust = ssl.create_default_context(cafile=str(ca))
        listed = httpx.get(f"{secure}/_mock/deployments", verify=trust).json()["deployments"]
        assert "over-http" in [d["name"] for d in listed]
