"""Subscriptions and consumers against a live node: delivery, acks, redelivery, sharing, stopping."""

import asyncio

import pytest

import inlet
from support import connect, eventually, run_async


class Collector:
    """A processing function that keeps what it receives and acknowledges it (unless told not to)."""

    def __init__(self, ack=True, stop_after=None):
        self.ack = ack
        self.stop_after = stop_after
        self.records = []

    async def __call__(self, ack, stop, records):
        self.records.extend(records)
        if self.ack is True or (callable(self.ack) and self.ack(records)):
            await ack(r.id for r in records)
        if self.stop_after is not None and len(self.records) >= self.stop_after:
            await stop()

    def ids(self):
        return [r.id for r in self.records]


async def run_until(consumer, collector, count, timeout=15):
    """Runs the consumer until the collector holds ``count`` records, then stops it."""
    task = asyncio.ensure_future(consumer.start())
    try:
        await eventually(lambda: len(collector.records) >= count or task.done(), timeout, message="%d records" % count)
    finally:
        await consumer.stop()
        await asyncio.wait_for(task, 10)


@run_async
async def test_subscription_lifecycle(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream)
        created = await client.create_subscription(sub, stream, ack_timeout=30, max_unacks=100,
                                                   offset=inlet.SpecialOffset.EARLIEST)
        assert (created.subscription_id, created.stream_name, created.ack_timeout, created.max_unacks, created.offset) == (
            sub, stream, 30, 100, inlet.SpecialOffset.EARLIEST)
        assert sub in [s.subscription_id for s in await client.list_subscriptions()]
        assert [s.subscription_id for s in await client.list_subscriptions(prefix=sub)] == [sub]
        assert await client.does_subscription_exist(sub)
        fetched = await client.get_subscription(sub)
        assert fetched.stream_name == stream and len(fetched.checkpoints) == 1

        await client.delete_subscription(sub)
        assert not await client.subscription_exists(sub)
        assert sub not in [s.subscription_id for s in await client.list_subscriptions()]


@run_async
async def test_subscription_errors_map_to_exceptions(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        with pytest.raises(inlet.SubscriptionStreamNotFoundError):
            await client.create_subscription(sub, names("missing"))
        await client.create_stream(stream)
        await client.create_subscription(sub, stream)
        with pytest.raises(inlet.SubscriptionExistsError):
            await client.create_subscription(sub, stream)
        with pytest.raises(inlet.SubscriptionNotFoundError):
            await client.get_subscription(names("missing"))
        with pytest.raises(inlet.SubscriptionNotFoundError):
            await client.delete_subscription(names("missing"))
        with pytest.raises(inlet.InvalidArgumentError):
            await client.create_subscription(names("sub2"), stream, ack_timeout=-1)


@run_async
async def test_consumer_receives_every_record_and_acks_them(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=2)
        ids = []
        for i in range(10):
            ids += await client.append(stream, [b"raw-%d" % i, {"i": i}], key="key-%d" % i, compresstype="gzip")
        await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
        collector = Collector()
        await run_until(client.new_consumer("c1", sub, collector), collector, len(ids))
        assert sorted(collector.ids()) == sorted(ids)
        by_id = {r.id: r for r in collector.records}
        assert by_id[ids[0]].payload == b"raw-0" and by_id[ids[1]].payload == {"i": 0.0}
        assert by_id[ids[1]].key == "key-0"

        # Everything was acknowledged: the checkpoint moved past every batch.
        async def checkpointed():
            checkpoints = (await client.get_subscription(sub)).checkpoints
            return all(checkpoints.get(i.shard_id, 0) >= i.batch_id for i in ids)

        await eventually(checkpointed, message="checkpoints past every batch")
        # ... so a new consumer gets nothing old, only what comes next.
        collector2 = Collector()
        consumer2 = client.new_consumer("c2", sub, collector2)
        task = asyncio.ensure_future(consumer2.start())
        new_ids = await client.append(stream, [b"after"])
        await eventually(lambda: collector2.records, message="the new record")
        await consumer2.stop()
        await task
        assert collector2.ids() == new_ids


@run_async
async def test_latest_subscription_sees_only_later_records(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream)
        await client.append(stream, [b"before"])
        await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.LATEST)
        later = await client.append(stream, [b"after-1", b"after-2"])
        collector = Collector()
        await run_until(client.new_consumer("c", sub, collector), collector, 2)
        assert collector.ids() == later


@run_async
async def test_unacknowledged_records_are_redelivered_after_the_ack_timeout(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream)
        ids = await client.append(stream, [b"a", b"b", b"c", b"d"])
        await client.create_subscription(sub, stream, ack_timeout=1, offset=inlet.SpecialOffset.EARLIEST)
        seen = []

        async def process(ack, stop, records):
            seen.append([r.id for r in records])
            # Acknowledge only the even records; the odd ones must come again, alone.
            await ack(r.id for r in records if r.id.batch_index % 2 == 0)
            if len(seen) == 2:
                await stop()

        await asyncio.wait_for(client.new_consumer("c", sub, process).start(), 20)
        assert seen[0] == ids
        assert seen[1] == [ids[1], ids[3]]


@run_async
async def test_records_a_stopped_consumer_held_go_to_the_next_one(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream)
        ids = await client.append(stream, [b"1", b"2", b"3"])
        await client.create_subscription(sub, stream, ack_timeout=600, offset=inlet.SpecialOffset.EARLIEST)
        first = Collector(ack=False)
        await run_until(client.new_consumer("first", sub, first), first, 3)
        second = Collector()
        await run_until(client.new_consumer("second", sub, second), second, 3)
        assert second.ids() == ids


@run_async
async def test_consumers_of_one_subscription_share_its_shards(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=4)
        await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
        a, b = Collector(), Collector()
        consumers = [client.new_consumer("a", sub, a), client.new_consumer("b", sub, b)]
        tasks = [asyncio.ensure_future(c.start()) for c in consumers]
        await eventually(lambda: _consumer_count(client, sub, 2), message="two consumers")
        ids = []
        for i in range(40):
            ids += await client.append(stream, [b"x"], key="k%d" % i)
        await eventually(lambda: len(a.records) + len(b.records) >= len(ids), message="all records")
        for c in consumers:
            await c.stop()
        await asyncio.gather(*tasks)
        assert sorted(a.ids() + b.ids()) == sorted(ids)
        assert a.records and b.records, "both consumers got shards"
        assert not {i.shard_id for i in a.ids()} & {i.shard_id for i in b.ids()}


async def _consumer_count(client, sub, n):
    return len(await client.list_consumers(sub)) == n


@run_async
async def test_list_consumers_shows_connected_consumers(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream)
        await client.create_subscription(sub, stream)
        consumer = client.new_consumer("listed", sub, Collector())
        task = asyncio.ensure_future(consumer.start())
        listed = await eventually(lambda: client.list_consumers(sub), message="a consumer")
        assert [c.name for c in listed] == ["listed"]
        assert "inlet-python" in listed[0].user_agent
        with pytest.raises(inlet.SubscriptionHasConsumersError):
            await client.delete_subscription(sub)
        await consumer.stop()
        await task
        await eventually(lambda: _consumer_count(client, sub, 0), message="no consumer")


@run_async
async def test_a_second_consumer_with_the_same_name_is_refused(node, names, monkeypatch):
    monkeypatch.setattr(inlet.consumer, "CONSUMER_EXISTS_GRACE_SECONDS", 0.3)
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream)
        await client.create_subscription(sub, stream)
        first = client.new_consumer("same", sub, Collector())
        task = asyncio.ensure_future(first.start())
        await eventually(lambda: _consumer_count(client, sub, 1), message="first consumer")
        with pytest.raises(inlet.ConsumerExistsError):
            await asyncio.wait_for(client.new_consumer("same", sub, Collector()).start(), 10)
        await first.stop()
        await task


@run_async
async def test_a_failing_processing_function_ends_start_with_its_error(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream)
        ids = await client.append(stream, [b"poison"])
        await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)

        def process(ack, stop, records):  # a plain function works too
            raise RuntimeError("cannot handle %s" % records[0].payload)

        with pytest.raises(RuntimeError, match="cannot handle b'poison'"):
            await asyncio.wait_for(client.new_consumer("c", sub, process).start(), 10)
        # The record was not acknowledged: the next consumer gets it.
        collector = Collector()
        await run_until(client.new_consumer("c", sub, collector), collector, 1)
        assert collector.ids() == ids


@run_async
async def test_consumer_of_a_deleted_subscription_fails(node, names):
    stream, sub = names("stream"), names("sub")
    async with await connect(node) as client:
        await client.create_stream(stream)
        await client.create_subscription(sub, stream)
        consumer = client.new_consumer("c", sub, Collector())
        task = asyncio.ensure_future(consumer.start())
        await eventually(lambda: _consumer_count(client, sub, 1), message="the consumer")
        await client.delete_subscription(sub, force=True)
        with pytest.raises(inlet.SubscriptionNotFoundError):
            await asyncio.wait_for(task, 10)
        with pytest.raises(inlet.SubscriptionNotFoundError):
            await asyncio.wait_for(client.new_consumer("c", sub, Collector()).start(), 10)


@run_async
async def test_consumer_reconnects_when_its_stream_fails(node, names):
    from front_node import FrontNode

    stream, sub = names("stream"), names("sub")
    async with FrontNode(node.address, advertise="self") as front:
        async with await inlet.insecure_client("127.0.0.1", front.port) as client:
            await client.create_stream(stream)
            ids = await client.append(stream, [b"x", b"y"])
            await client.create_subscription(sub, stream, offset=inlet.SpecialOffset.EARLIEST)
            front.fail_next["StreamingFetch"] = 3  # the first three connections fail at once
            collector = Collector()
            await run_until(client.new_consumer("c", sub, collector), collector, 2)
            assert collector.ids() == ids
            assert front.calls.count("StreamingFetch") == 4
            assert front.calls.count("LookupSubscription") >= 4  # looked up again each time
