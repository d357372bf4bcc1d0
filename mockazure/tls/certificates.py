"""HTTPS for `mockazure serve --tls`: a local certificate authority and a localhost server
certificate it signs, made once and kept under the data folder (`<data_dir>/tls/`).

Azure SDKs refuse to send bearer tokens over plain HTTP (azure-core's
BearerTokenCredentialPolicy), so the management plane, and the data plane with Entra tokens,
need HTTPS. Clients trust the CA file (`ca.pem`): `REQUESTS_CA_BUNDLE` / `SSL_CERT_FILE` for
Python, `NODE_EXTRA_CA_CERTS` for Node, `connection_verify=` for azure-core clients. A CA plus a
leaf (rather than one self-signed leaf) passes the strict X.509 checks newer Pythons and
OpenSSL apply (VERIFY_X509_STRICT: a CA with keyCertSign, a leaf with serverAuth and a SAN).
"""

import datetime
import ipaddress
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

CA_FILE = "ca.pem"
CERT_FILE = "cert.pem"
KEY_FILE = "key.pem"
LEAF_DAYS = 825  # the longest validity Apple's TLS clients accept for a server certificate
CA_DAYS = 3650
NAMES = ("localhost", "127.0.0.1", "::1")


def default_data_dir() -> Path:
    return Path(os.environ.get("XDG_DATA_HOME", Path.home() / ".local" / "share")) / "mockazure"


def ensure_certificate(data_dir: Path, extra_names: tuple[str, ...] = ()) -> tuple[Path, Path]:
    """(certificate chain, private key) under `data_dir/tls`, made on first use."""
    folder = data_dir / "tls"
    cert, key = folder / CERT_FILE, folder / KEY_FILE
    if cert.is_file() and key.is_file() and _covers(cert, extra_names):
        return cert, key
    folder.mkdir(parents=True, exist_ok=True)
    chain, private = _make(tuple(dict.fromkeys((*NAMES, *extra_names))))
    (folder / CA_FILE).write_bytes(chain[1])
    cert.write_bytes(chain[0] + chain[1])
    key.touch(mode=0o600)
    key.write_bytes(private)
    return cert, key


def _covers(cert_file: Path, names: tuple[str, ...]) -> bool:
    leaf = x509.load_pem_x509_certificate(cert_file.read_bytes())
    if leaf.not_valid_after_utc < datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=1):
        return False
    san = leaf.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    present = {str(v) for v in san.get_values_for_type(x509.DNSName)}
    present |= {str(v) for v in san.get_values_for_type(x509.IPAddress)}
    return all(str(_entry(n).value) in present for n in names)


def _entry(name: str) -> x509.GeneralName:
    try:
        return x509.IPAddress(ipaddress.ip_address(name))
    except ValueError:
        return x509.DNSName(name)


def _make(names: tuple[str, ...]) -> tuple[tuple[bytes, bytes], bytes]:
    """((leaf PEM, CA PEM), leaf key PEM): a fresh CA signing a fresh localhost leaf."""
    now = datetime.datetime.now(datetime.UTC) - datetime.timedelta(minutes=5)
    ca_key, leaf_key = (
        ec.generate_private_key(ec.SECP256R1()),
        ec.generate_private_key(ec.SECP256R1()),
    )
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "mockazure local CA")])
    ca = (
        _builder(ca_name, ca_name, ca_key.public_key(), now, CA_DAYS)
        .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
        .add_extension(_usage(ca=True), critical=True)
        .sign(ca_key, hashes.SHA256())
    )
    leaf_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    leaf = (
        _builder(leaf_name, ca_name, leaf_key.public_key(), now, LEAF_DAYS)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_usage(ca=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]), critical=False)
        .add_extension(x509.SubjectAlternativeName([_entry(n) for n in names]), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()), False
        )
        .sign(ca_key, hashes.SHA256())
    )
    pem = serialization.Encoding.PEM
    private = leaf_key.private_bytes(
        pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return (leaf.public_bytes(pem), ca.public_bytes(pem)), private


def _builder(
    subject: x509.Name,
    issuer: x509.Name,
    key: ec.EllipticCurvePublicKey,
    start: datetime.datetime,
    days: int,
) -> x509.CertificateBuilder:
    return (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer)
        .public_key(key)
        .serial_number(x509.random_serial_number())
        .not_valid_before(start)
        .not_valid_after(start + datetime.timedelta(days=days))
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key), critical=False)
    )


def _usage(*, ca: bool) -> x509.KeyUsage:
    return x509.KeyUsage(
        digital_signature=True,
        content_commitment=False,
        key_encipherment=False,
        data_encipherment=False,
        key_agreement=False,
        key_cert_sign=ca,
        crl_sign=ca,
        encipher_only=False,
        decipher_only=False,
    )
