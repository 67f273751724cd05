"""TLS against a real Inlet node: the gRPC API over TLS, and with client certificates required
(grpc-tls-client-ca-file), reached with secure_client's hstreamdb-py options."""

import asyncio
import shutil
import subprocess

import pytest

import inlet
import inlet.sync
from support import InletNode, run_async, skip_or_fail


def _openssl(*args):
    subprocess.run(["openssl", *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def certs(tmp_path_factory):
    """A CA, a server certificate for 127.0.0.1 signed by it, a client certificate signed by it,
    and a client certificate signed by another CA; keys are PEM PKCS#8, as Inlet wants them."""
    if shutil.which("openssl") is None:
        skip_or_fail("needs the openssl command to make test certificates (apt-get install openssl)")
    d = tmp_path_factory.mktemp("certs")
    files = {}

    def ca(name):
        key, cert = d / (name + "-key.pem"), d / (name + ".pem")
        _openssl("req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", str(key), "-out", str(cert), "-days", "2", "-subj", "/CN=" + name,
                 "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign")
        return key, cert

    def issued(name, ca_key, ca_cert, extensions):
        key, csr, cert, ext = (d / (name + s) for s in ("-key.pem", ".csr", ".pem", ".ext"))
        _openssl("req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
                 "-keyout", str(key), "-out", str(csr), "-subj", "/CN=" + name)
        ext.write_text(extensions)
        _openssl("x509", "-req", "-in", str(csr), "-CA", str(ca_cert), "-CAkey", str(ca_key),
                 "-CAcreateserial", "-out", str(cert), "-days", "2", "-extfile", str(ext))
        return key, cert

    ca_key, ca_cert = ca("inlet-test-ca")
    other_key, other_cert = ca("other-ca")
    files["ca"] = ca_cert
    files["server_key"], files["server"] = issued(
        "localhost", ca_key, ca_cert, "subjectAltName=IP:127.0.0.1,DNS:localhost\n")
    files["client_key"], files["client"] = issued(
        "app-1", ca_key, ca_cert, "extendedKeyUsage=clientAuth\n")
    files["stranger_key"], files["stranger"] = issued(
        "app-2", other_key, other_cert, "extendedKeyUsage=clientAuth\n")
    return {name: str(path) for name, path in files.items()}


def _read(path):
    with open(path, "rb") as f:
        return f.read()


@pytest.fixture(scope="module")
def tls_node(tmp_path_factory, certs):
    """A node whose gRPC API speaks TLS only."""
    n = InletNode(str(tmp_path_factory.mktemp("tls-node")), extra_args=[
        "--grpc-tls-cert-file", certs["server"], "--grpc-tls-key-file", certs["server_key"],
    ]).start()
    yield n
    n.stop()


@pytest.fixture(scope="module")
def mtls_node(tmp_path_factory, certs):
    """A node whose gRPC API requires a client certificate from the test CA."""
    n = InletNode(str(tmp_path_factory.mktemp("mtls-node")), extra_args=[
        "--grpc-tls-cert-file", certs["server"], "--grpc-tls-key-file", certs["server_key"],
        "--grpc-tls-client-ca-file", certs["ca"],
    ]).start()
    yield n
    n.stop()


@run_async
async def test_a_tls_node_serves_secure_clients_and_refuses_plaintext(tls_node, certs, names):
    stream, sub = names("stream"), names("sub")
    with pytest.raises(inlet.UnavailableError):
        await inlet.insecure_client(tls_node.host, tls_node.port, retry_timeout=0.5)
    async with await inlet.secure_client(
        tls_node.host, tls_node.port, root_certificates=_read(certs["ca"]),
    ) as client:
        assert [n.address for n in (await client.describe_cluster()).nodes] == [tls_node.address]
        await client.create_stream(stream)
        ids = await client.append(stream, [b"over tls", {"t": 1}], compresstype="gzip")
        await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
        got = []

        async def process(ack, stop, records):
            got.extend(records)
            await ack(r.id for r in records)
            if len(got) >= 2:
                await stop()

        await asyncio.wait_for(client.new_consumer("tls", sub, process).start(), 20)
        assert [r.id for r in got] == ids
        assert got[0].payload == b"over tls"


@run_async
async def test_a_mutual_tls_node_admits_only_a_client_certificate_from_its_ca(mtls_node, certs, names):
    stream = names("stream")
    with pytest.raises(inlet.UnavailableError):  # no client certificate
        await inlet.secure_client(mtls_node.host, mtls_node.port, root_certificates=_read(certs["ca"]),
                                  retry_timeout=0.5)
    with pytest.raises(inlet.UnavailableError):  # a certificate from another CA
        await inlet.secure_client(
            mtls_node.host, mtls_node.port, is_creds_file=True, root_certificates=certs["ca"],
            private_key=certs["stranger_key"], certificate_chain=certs["stranger"], retry_timeout=0.5,
        )
    # hstreamdb-py's secure_client arguments: file names with is_creds_file=True ...
    async with await inlet.secure_client(
        mtls_node.host, mtls_node.port, is_creds_file=True, root_certificates=certs["ca"],
        private_key=certs["client_key"], certificate_chain=certs["client"],
    ) as client:
        await client.create_stream(stream)
        assert (await client.append(stream, [b"with a certificate"]))
    # ... or the PEM contents themselves.
    async with await inlet.secure_client(
        mtls_node.host, mtls_node.port, root_certificates=_read(certs["ca"]),
        private_key=_read(certs["client_key"]), certificate_chain=_read(certs["client"]),
    ) as client:
        assert stream in [s.name for s in await client.list_streams()]


def test_the_blocking_client_connects_with_a_certificate_too(mtls_node, certs):
    with inlet.sync.connect_secure(
        mtls_node.host, mtls_node.port, is_creds_file=True, root_certificates=certs["ca"],
        private_key=certs["client_key"], certificate_chain=certs["client"],
    ) as client:
        assert client.describe_cluster().nodes[0].address == mtls_node.address
