"""The SDK against a real three-node cluster (node processes with replicated metadata).

Each shard has one owner node (replication factor 1). The client is given node 1 only; it must
follow the lookups to the owners, read every shard, and ride out an owner killed with SIGKILL:
an append to that owner's shard is retried until the owner is back, and nothing acknowledged is
lost.
"""

import asyncio
import functools
import random
import socket
import time

import pytest

import inlet
from support import InletNode, connect, eventually

#: The whole test may take this long (three JVMs start, one is killed and restarted).
CLUSTER_TEST_TIMEOUT = 300


_handed_out = set()


def free_port():
    """A port free now, below Linux's ephemeral range (32768 and up): a port of that range found
    free may be taken a moment later as the source port of any outgoing connection, and the node
    that was to listen on it then fails to start. Each port is handed out once per process."""
    for _ in range(10000):
        port = random.randint(20000, 32767)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("0.0.0.0", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port
    raise RuntimeError("no free port between 20000 and 32767")


@pytest.fixture
def cluster(work_dir):
    raft = [free_port() for _ in range(3)]
    gossip = [free_port() for _ in range(3)]
    replication = [free_port() for _ in range(3)]
    metadata = ",".join("%d@127.0.0.1:%d" % (i + 1, raft[i]) for i in range(3))
    seeds = "127.0.0.1:%d,127.0.0.1:%d" % (gossip[0], gossip[1])
    nodes = []
    try:
        for i in range(3):
            node = InletNode(work_dir, extra_args=[
                "--node-id", str(i + 1),
                "--metadata-nodes", metadata,
                "--seeds", seeds,
                "--gossip-port", str(gossip[i]),
                "--replication-port", str(replication[i]),
                "--gossip-timings", "fast",
                "--mqtt-port", "off",
                "--ws-port", "off",
                "--exhook-port", "0",
            ])
            nodes.append(node.start())
        yield nodes
    finally:
        for node in nodes:
            node.kill()


def run_long(fn):
    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        return asyncio.run(asyncio.wait_for(fn(*args, **kwargs), CLUSTER_TEST_TIMEOUT))

    return wrapper


@run_long
async def test_the_sdk_follows_lookups_and_survives_an_owner_killed(cluster, names):
    stream, sub = names("stream"), names("sub")
    addresses = {n.address: n for n in cluster}
    loop = asyncio.get_running_loop()
    async with await connect(cluster[0], retry_timeout=120) as client:

        async def all_running():
            info = await client.describe_cluster()
            return sorted(info.states.values()) == [inlet.NodeState.RUNNING] * 3

        await eventually(all_running, timeout=120, message="three running nodes")
        await client.create_stream(stream, shard_count=6)
        owners = {s.shard_id: (await client.lookup_shard(s.shard_id)).address for s in await client.list_shards(stream)}
        assert set(owners.values()) <= set(addresses), owners
        assert len(set(owners.values())) > 1, owners

        acked = {}  # payload -> record id
        for i in range(30):
            payload = b"r%d" % i
            (rid,) = await client.append(stream, [payload], key="k%d" % i)
            acked[payload] = rid

        # A subscription through node 1 delivers every shard's records.
        await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
        got = {}

        async def process(ack, stop, records):
            for r in records:
                got[r.payload] = r.id
            await ack(r.id for r in records)

        consumer = client.new_consumer("c1", sub, process)
        consuming = asyncio.ensure_future(consumer.start())
        await eventually(lambda: set(got) >= set(acked), timeout=60, message="every record delivered")
        assert all(got[p] == acked[p] for p in acked)
        await consumer.stop()
        await asyncio.wait_for(consuming, 30)

        # Kill -9 the owner of a shard (not the node the client was given).
        victim_address = next(a for a in owners.values() if a != cluster[0].address)
        victim = addresses[victim_address]
        shard = next(s for s, a in owners.items() if a == victim_address)
        key = None
        for i in range(10000):
            if (await client.shard_for_key(stream, "x%d" % i)).shard_id == shard:
                key = "x%d" % i
                break
        assert key is not None
        await loop.run_in_executor(None, victim.kill)
        during = asyncio.ensure_future(client.append(stream, [b"during"], key=key))
        await asyncio.sleep(1.0)
        assert not during.done(), "an append to a shard whose owner is down cannot succeed"
        started = time.monotonic()
        await loop.run_in_executor(None, victim.start_again)
        (during_id,) = await asyncio.wait_for(during, 120)
        assert during_id.shard_id == shard
        print("append to the killed owner's shard succeeded %.1fs after the restart began"
              % (time.monotonic() - started))

        # Every acknowledged record of that shard is there, once, in order, read through node 1.
        expected = [rid for rid in acked.values() if rid.shard_id == shard] + [during_id]
        async with client.with_reader(stream, names("reader"), shard_id=shard, timeout=100) as reader:
            read = []
            while len(read) < len(expected):
                batch = await reader.read(100)
                if not batch:
                    break
                read.extend(r.id for r in batch)
        assert read == sorted(expected, key=lambda r: (r.batch_id, r.batch_index))


@run_long
async def test_a_consumer_follows_its_subscription_to_a_new_owner(cluster, names):
    """A subscription's owner is killed with SIGKILL: the consumer looks the subscription up again,
    connects to the new owner and receives what comes next; nothing committed before the kill comes
    again."""
    stream = names("stream")
    addresses = {n.address: n for n in cluster}
    loop = asyncio.get_running_loop()
    async with await connect(cluster[0], retry_timeout=120) as client:

        async def all_running():
            info = await client.describe_cluster()
            return sorted(info.states.values()) == [inlet.NodeState.RUNNING] * 3

        await eventually(all_running, timeout=120, message="three running nodes")
        # Replication factor 3: the records outlive the node that is killed.
        await client.create_stream(stream, replication_factor=3, shard_count=2)

        # A subscription owned by another node than the one the client was given (it stays up).
        for attempt in range(20):
            sub = names("sub%d" % attempt)
            await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
            owner = (await client.lookup_subscription(sub)).address
            if owner != cluster[0].address:
                break
            await client.delete_subscription(sub)
        assert owner != cluster[0].address and owner in addresses, owner

        before = {}  # payload -> record id
        for i in range(20):
            (rid,) = await client.append(stream, [b"b%d" % i], key="k%d" % i)
            before[rid] = b"b%d" % i

        got = []  # (payload, delivered after the kill)
        killed = False

        async def process(ack, stop, records):
            for r in records:
                got.append((r.payload, killed))
            await ack(r.id for r in records)

        consumer = client.new_consumer("c1", sub, process)
        consuming = asyncio.ensure_future(consumer.start())
        await eventually(lambda: {p for p, _ in got} >= set(before.values()), timeout=60,
                         message="every record delivered")

        # Every acknowledgement is committed: the last batch of each shard.
        last = {}
        for rid in before:
            last[rid.shard_id] = max(last.get(rid.shard_id, 0), rid.batch_id)

        async def committed():
            return (await client.get_subscription(sub)).checkpoints == last

        await eventually(committed, timeout=60, message="checkpoints %s committed" % last)

        await loop.run_in_executor(None, addresses[owner].kill)
        killed = True
        started = time.monotonic()
        after = set()
        for i in range(10):
            await client.append(stream, [b"a%d" % i], key="k%d" % i)
            after.add(b"a%d" % i)
        await eventually(lambda: {p for p, late in got if late} >= after, timeout=120,
                         message="the records appended after the kill delivered")
        print("consumer received the records appended after the kill %.1fs after it"
              % (time.monotonic() - started))
        new_owner = (await client.lookup_subscription(sub)).address
        assert new_owner != owner and new_owner in addresses, new_owner
        assert consumer.connections >= 2
        redelivered = [p for p, late in got if late and p in set(before.values())]
        assert redelivered == [], "committed records delivered again: %r" % redelivered
        await consumer.stop()
        await asyncio.wait_for(consuming, 30)
