"""The buffered producer against a live node: triggers, ordering, callbacks, retries, closing."""

import asyncio

import pytest

import inlet
from front_node import FrontNode
from support import connect, eventually, run_async


class Callback(inlet.BufferedProducer.AppendCallback):
    def __init__(self):
        self.succeeded = []  # (stream, payloads, key)
        self.failed = []  # (stream, payloads, key, error)

    def on_success(self, stream_name, payloads, stream_keyid):
        self.succeeded.append((stream_name, list(payloads), stream_keyid))

    def on_fail(self, stream_name, payloads, stream_keyid, e):
        self.failed.append((stream_name, list(payloads), stream_keyid, e))


async def read_stream(client, stream, count, reader_id):
    out = []
    async with client.with_reader(stream, reader_id, inlet.SpecialOffset.EARLIEST, timeout=100) as reader:
        for _ in range(50):
            if len(out) >= count:
                break
            out += await reader.read(1000)
    return out


@run_async
async def test_size_trigger_cuts_batches_and_futures_give_record_ids(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        callback = Callback()
        producer = client.new_producer(append_callback=callback, size_trigger=100)
        futures = [await producer.append(stream, b"x" * 10, key="dev") for _ in range(30)]
        # 30 records of 10 bytes, cut at 100 bytes: three batches of ten go out without a flush.
        ids = await asyncio.wait_for(asyncio.gather(*futures), 10)
        assert [len(s[1]) for s in callback.succeeded] == [10, 10, 10]
        assert {(s[0], s[2]) for s in callback.succeeded} == {(stream, "dev")}
        assert len({(i.shard_id, i.batch_id) for i in ids}) == 3
        assert [i.batch_index for i in ids] == list(range(10)) * 3
        await producer.wait_and_close()


@run_async
async def test_time_trigger_sends_a_partial_batch(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        callback = Callback()
        producer = client.new_producer(append_callback=callback, size_trigger=1 << 20, time_trigger=0.2)
        future = await producer.append(stream, {"temperature": 20.5})
        record_id = await asyncio.wait_for(future, 10)  # no flush: the timer sends it
        assert callback.succeeded == [(stream, [{"temperature": 20.5}], None)]
        records = await read_stream(client, stream, 1, names("reader"))
        assert [(r.id, r.payload) for r in records] == [(record_id, {"temperature": 20.5})]
        await producer.wait_and_close()


@run_async
async def test_records_of_one_key_stay_in_order_across_batches_and_workers(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=2)
        producer = client.new_producer(size_trigger=64, workers=3, compresstype="gzip")
        for i in range(200):
            await producer.append(stream, b"%05d" % i, key="key-%d" % (i % 4))
        await producer.wait_and_close()
        records = await read_from_all_shards(client, stream, 200, names("reader"))
        assert len(records) == 200
        for k in range(4):
            mine = sorted((r for r in records if r.key == "key-%d" % k), key=lambda r: r.id)
            assert [int(r.payload) for r in mine] == list(range(k, 200, 4))


async def read_from_all_shards(client, stream, count, reader_prefix):
    out = []
    for shard in await client.list_shards(stream):
        async with client.with_reader(stream, "%s_%d" % (reader_prefix, shard.shard_id),
                                      inlet.SpecialOffset.EARLIEST, timeout=100, shard_id=shard.shard_id) as reader:
            while True:
                got = await reader.read(1000)
                if not got:
                    break
                out += got
    return out


@run_async
async def test_flush_sends_what_is_buffered_and_waits(node, names):
    stream, other = names("stream"), names("other")
    async with await connect(node) as client:
        await client.create_stream(stream)
        await client.create_stream(other)
        producer = client.new_producer()  # no trigger: only flush sends
        a = await producer.append(stream, b"a")
        b = await producer.append(other, b"b", key="k")
        await asyncio.sleep(0.2)
        assert not a.done() and not b.done()
        await producer.flush(stream)
        assert a.done() and not b.done()
        await producer.flush()
        assert b.done() and (b.result()).batch_index == 0
        await producer.wait_and_close()


@run_async
async def test_failed_batches_reach_on_fail_and_the_futures(node, names):
    async with await connect(node) as client:
        callback = Callback()
        producer = client.new_producer(append_callback=callback, size_trigger=1)
        missing = names("missing")
        future = await producer.append(missing, b"lost")
        with pytest.raises(inlet.StreamNotFoundError):
            await asyncio.wait_for(future, 10)
        assert len(callback.failed) == 1
        stream, payloads, key, error = callback.failed[0]
        assert (stream, payloads, key) == (missing, [b"lost"], None)
        assert isinstance(error, inlet.StreamNotFoundError)
        await producer.wait_and_close()


@run_async
async def test_unavailable_appends_are_retried_up_to_retry_count(node, names):
    stream = names("stream")
    async with FrontNode(node.address, advertise="self") as front:
        async with await inlet.insecure_client("127.0.0.1", front.port) as client:
            await client.create_stream(stream)
            callback = Callback()
            producer = client.new_producer(append_callback=callback, size_trigger=1, retry_count=2, retry_max_delay=0.1)
            front.fail_next["Append"] = 2
            record_id = await asyncio.wait_for(await producer.append(stream, b"third time lucky"), 10)
            assert front.calls.count("Append") == 3 and callback.succeeded and not callback.failed

            front.fail_next["Append"] = 3
            failed = await producer.append(stream, b"gives up")
            with pytest.raises(inlet.UnavailableError, match="injected"):
                await asyncio.wait_for(failed, 10)
            assert front.calls.count("Append") == 6 and len(callback.failed) == 1
            await producer.wait_and_close()
            assert record_id.batch_index == 0


@run_async
async def test_a_closed_producer_takes_no_more_records(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        producer = client.new_producer(time_trigger=60)
        pending = await producer.append(stream, b"flushed at close")
        await producer.wait_and_close()
        assert pending.done() and pending.result().batch_index == 0
        with pytest.raises(inlet.ProducerClosedError):
            await producer.append(stream, b"too late")
        await producer.wait_and_close()  # idempotent


@run_async
async def test_append_waits_when_too_many_batches_are_pending(node, names):
    stream = names("stream")
    async with FrontNode(node.address, advertise="self") as front:
        async with await inlet.insecure_client("127.0.0.1", front.port) as client:
            await client.create_stream(stream)
            producer = client.new_producer(size_trigger=1, max_buffered_batches=2, retry_count=100,
                                           retry_max_delay=0.05)
            front.fail_next["Append"] = 10**6  # nothing gets through for now
            await producer.append(stream, b"1")
            await producer.append(stream, b"2")
            third = asyncio.ensure_future(producer.append(stream, b"3"))
            await asyncio.sleep(0.3)
            assert not third.done(), "append must wait while two batches are pending"
            front.fail_next["Append"] = 0
            await asyncio.wait_for(third, 10)
            await producer.wait_and_close()
            await eventually(lambda: front.calls.count("Append") >= 3)
