"""Shard readers against a live node: every kind of start position, waiting, cleanup."""

import asyncio
import datetime
import time

import pytest

import inlet
from support import connect, run_async


async def read_all(reader, expected_count, rounds=20):
    out = []
    for _ in range(rounds):
        if len(out) >= expected_count:
            break
        out += await reader.read(100)
    return out


@run_async
async def test_reader_from_earliest_reads_everything_in_order(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        ids = []
        for i in range(5):
            ids += await client.append(stream, [b"%d-a" % i, b"%d-b" % i])
        async with client.with_reader(stream, names("reader"), inlet.SpecialOffset.EARLIEST, timeout=100) as reader:
            records = await read_all(reader, len(ids))
            assert [r.id for r in records] == ids
            assert await reader.read(10) == []  # nothing more: waited the reader's timeout


@run_async
async def test_reader_from_latest_sees_only_later_records(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        await client.append(stream, [b"old"])
        async with client.with_reader(stream, names("reader"), inlet.SpecialOffset.LATEST, timeout=100) as reader:
            later = await client.append(stream, [b"new"])
            records = await read_all(reader, 1)
            assert [r.id for r in records] == later


@run_async
async def test_reader_from_a_record_id_starts_at_that_record(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        ids = await client.append(stream, [b"a", b"b", b"c"]) + await client.append(stream, [b"d"])
        async with client.with_reader(stream, names("reader"), ids[1], timeout=100) as reader:
            records = await read_all(reader, 3)
            assert [r.id for r in records] == ids[1:]
            assert [r.payload for r in records] == [b"b", b"c", b"d"]


@run_async
async def test_reader_from_a_timestamp_starts_at_records_stored_since(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        await client.append(stream, [b"before"])
        await asyncio.sleep(0.05)  # gives the two appends distinct millisecond timestamps
        since = datetime.datetime.now(datetime.timezone.utc)
        await asyncio.sleep(0.05)
        after = await client.append(stream, [b"after"])
        for offset in (since, inlet.TimestampOffset(int(since.timestamp() * 1000))):
            async with client.with_reader(stream, names("reader") + str(id(offset)), offset, timeout=100) as reader:
                assert [r.id for r in await read_all(reader, 1)] == after


@run_async
async def test_read_waits_for_records_appended_meanwhile(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        async with client.with_reader(stream, names("reader"), inlet.SpecialOffset.LATEST, timeout=10000) as reader:
            pending = asyncio.ensure_future(reader.read(10))
            await asyncio.sleep(0.2)
            assert not pending.done()
            started = time.monotonic()
            ids = await client.append(stream, [b"wake up"])
            records = await asyncio.wait_for(pending, 10)
            assert [r.id for r in records] == ids
            assert time.monotonic() - started < 9


@run_async
async def test_reader_records_iterates_as_records_arrive(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        ids = await client.append(stream, [b"1", b"2"])
        reader = await client.create_reader(stream, names("reader"), inlet.SpecialOffset.EARLIEST, timeout=100)
        got = []
        async for record in reader.records():
            got.append(record.id)
            if len(got) == 2:
                ids += await client.append(stream, [b"3"])
            if len(got) == 3:
                break
        assert got == ids
        await reader.delete()


@run_async
async def test_readers_are_listed_until_deleted(node, names):
    stream, reader_id = names("stream"), names("reader")
    async with await connect(node) as client:
        await client.create_stream(stream)
        reader = await client.create_reader(stream, reader_id)
        assert reader_id in await client.list_readers()
        assert (await client.lookup_shard_reader(reader_id)).port == node.port
        with pytest.raises(inlet.ShardReaderExistsError):
            await client.create_reader(stream, reader_id)
        await reader.delete()
        assert reader_id not in await client.list_readers()
        with pytest.raises(inlet.ShardReaderNotFoundError):
            await client.delete_reader(reader_id)
        with pytest.raises(inlet.ShardReaderNotFoundError):
            await reader.read()


@run_async
async def test_a_stream_with_several_shards_needs_a_shard_id(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=2)
        with pytest.raises(ValueError, match="has 2 shards"):
            await client.create_reader(stream, names("reader"))
        ids = await client.append(stream, [b"x"], key="some key")
        shard = await client.shard_for_key(stream, "some key")
        async with client.with_reader(stream, names("reader"), shard_id=shard.shard_id, timeout=100) as reader:
            assert [r.id for r in await read_all(reader, 1)] == ids


@run_async
async def test_max_records_counts_batches_as_hstreamdb_does(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        before = datetime.datetime.now(datetime.timezone.utc)
        for i in range(5):
            await client.append(stream, [b"%d-%d" % (i, j) for j in range(3)])
        after = datetime.datetime.now(datetime.timezone.utc)
        async with client.with_reader(stream, names("reader"), inlet.SpecialOffset.EARLIEST, timeout=100) as reader:
            first = await reader.read(2)
            assert len(first) == 6  # two batches of three records
            rest = await reader.read(200)
            assert len(rest) == 9
        slack = datetime.timedelta(seconds=5)
        assert all(before - slack <= r.header.publish_time <= after + slack for r in first + rest)


@run_async
async def test_a_record_id_of_another_shard_or_past_the_tail_is_refused(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=2)
        shards = await client.list_shards(stream)
        [in_a] = await client.append(stream, [b"a"], key="k-a")
        other = next(s.shard_id for s in shards if s.shard_id != in_a.shard_id)
        with pytest.raises(inlet.InvalidArgumentError):
            await client.create_reader(stream, names("reader"), in_a, shard_id=other)
        beyond = inlet.RecordId(in_a.shard_id, in_a.batch_id + 10, 0)
        with pytest.raises(inlet.InvalidArgumentError):
            await client.create_reader(stream, names("reader"), beyond, shard_id=in_a.shard_id)

