"""Cluster information, lookups, routing by lookups, and TLS."""

import asyncio
import shutil
import subprocess

import grpc
import pytest

import inlet
from front_node import DATA_CALLS, FrontNode
from support import connect, run_async, skip_or_fail


@run_async
async def test_describe_cluster_lists_the_node_the_client_dials(node):
    async with await connect(node) as client:
        info = await client.describe_cluster()
        assert info.protocol_version.startswith("0.20")
        assert [n.address for n in info.nodes] == [node.address]
        assert info.states[info.nodes[0].id] == inlet.NodeState.RUNNING


@run_async
async def test_lookups_name_the_serving_node(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=2)
        await client.create_subscription(sub, stream)
        for shard in await client.list_shards(stream):
            assert (await client.lookup_shard(shard.shard_id)).address == node.address
        assert (await client.lookup_subscription(sub)).address == node.address
        assert (await client.lookup_key("sensor-1")).address == node.address
        # As HStreamDB: ids not created yet have a node too (hstreamdb-java's shard reader
        # looks up a fresh reader id before it reads).
        assert (await client.lookup_shard(2**63)).address == node.address
        assert (await client.lookup_shard_reader(names("reader"))).address == node.address


@run_async
async def test_data_calls_go_where_the_lookups_say(node, names):
    """The client is given a node that answers lookups with another node's address and refuses
    the data calls; everything must still work, so every data call followed a lookup."""
    stream, sub = names("stream"), names("sub")
    async with FrontNode(node.address, advertise="upstream", refuse=DATA_CALLS) as front:
        async with await inlet.insecure_client("127.0.0.1", front.port) as client:
            await client.create_stream(stream, shard_count=2)
            ids = await client.append(stream, [b"a", {"b": 1}], key="k1")
            ids += await client.append(stream, [b"c"], key="k2")
            producer = client.new_producer(size_trigger=1)
            ids.append(await (await producer.append(stream, b"d", key="k3")))
            await producer.wait_and_close()

            await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
            got = []

            async def process(ack, stop, records):
                got.extend(r.id for r in records)
                await ack(r.id for r in records)
                if len(got) >= len(ids):
                    await stop()

            await asyncio.wait_for(client.new_consumer("routed", sub, process).start(), 20)
            assert sorted(got) == sorted(ids)
            assert [c.name for c in await client.list_consumers(sub)] == []

            shard = await client.shard_for_key(stream, "k1")
            async with client.with_reader(stream, names("reader"), shard_id=shard.shard_id, timeout=100) as reader:
                assert [r.id for r in await reader.read(10)] == [i for i in ids if i.shard_id == shard.shard_id][:3]

        assert not set(front.calls) & DATA_CALLS, "data calls must not go to the bootstrap node"
        assert {"LookupShard", "LookupSubscription", "LookupShardReader"} <= set(front.calls)


@run_async
async def test_a_node_that_becomes_unavailable_is_looked_up_again(node, names):
    stream = names("stream")
    async with FrontNode(node.address, advertise="self") as front:
        async with await inlet.insecure_client("127.0.0.1", front.port, retry_timeout=10) as client:
            await client.create_stream(stream)
            await client.append(stream, [b"1"])
            lookups = front.calls.count("LookupShard")
            front.fail_next["Append"] = 2
            await client.append(stream, [b"2"])
            assert front.calls.count("Append") == 4
            assert front.calls.count("LookupShard") == lookups + 2


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory):
    openssl = shutil.which("openssl")
    if openssl is None:
        skip_or_fail("needs the openssl command to make a test certificate (apt-get install openssl)")
    d = tmp_path_factory.mktemp("tls")
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
         "-keyout", str(d / "key.pem"), "-out", str(d / "cert.pem"), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True,
    )
    return {name: str(d / (name + ".pem")) for name in ("key", "cert")}


def read(path):
    with open(path, "rb") as f:
        return f.read()


@run_async
async def test_secure_client_talks_tls(node, names, tls_files):
    stream, sub = names("stream"), names("sub")
    key, cert = read(tls_files["key"]), read(tls_files["cert"])
    tls = grpc.ssl_server_credentials([(key, cert)])
    async with FrontNode(node.address, advertise="self", server_credentials=tls) as front:
        with pytest.raises(inlet.UnavailableError):  # a plaintext client cannot talk to it
            await inlet.insecure_client("127.0.0.1", front.port, retry_timeout=0.5)
        async with await inlet.secure_client("127.0.0.1", front.port, root_certificates=cert) as client:
            await client.create_stream(stream)
            ids = await client.append(stream, [b"over tls"], compresstype="gzip")
            await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
            got = []

            async def process(ack, stop, records):
                got.extend(records)
                await ack(r.id for r in records)
                await stop()

            await asyncio.wait_for(client.new_consumer("tls", sub, process).start(), 20)
            assert [(r.id, r.payload) for r in got] == [(ids[0], b"over tls")]


@run_async
async def test_secure_client_with_a_client_certificate_from_files(node, tls_files):
    key, cert = read(tls_files["key"]), read(tls_files["cert"])
    mutual = grpc.ssl_server_credentials([(key, cert)], root_certificates=cert, require_client_auth=True)
    async with FrontNode(node.address, advertise="self", server_credentials=mutual) as front:
        with pytest.raises(inlet.UnavailableError):  # no client certificate
            await inlet.secure_client("127.0.0.1", front.port, root_certificates=cert, retry_timeout=0.5)
        async with await inlet.secure_client(
            "127.0.0.1", front.port, is_creds_file=True, root_certificates=tls_files["cert"],
            private_key=tls_files["key"], certificate_chain=tls_files["cert"],
        ) as client:
            assert [n.port for n in (await client.describe_cluster()).nodes] == [front.port]


@run_async
async def test_an_unreachable_server_is_an_unavailable_error():
    with pytest.raises(inlet.UnavailableError) as failure:
        await inlet.insecure_client("127.0.0.1", 1, retry_timeout=0.3)
    assert failure.value.retriable
    assert failure.value.code() == grpc.StatusCode.UNAVAILABLE


def test_every_exported_name_exists():
    assert [name for name in inlet.__all__ if not hasattr(inlet, name)] == []
