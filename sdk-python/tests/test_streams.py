"""Streams and appends against a live node."""

import pytest

import inlet
from inlet.routing import KEY_SPACE, key_hash
from support import connect, run_async


@run_async
async def test_create_get_list_and_delete_a_stream(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        created = await client.create_stream(stream, replication_factor=1, backlog=3600, shard_count=3)
        assert (created.name, created.shard_count, created.backlog, created.replication_factor) == (stream, 3, 3600, 1)
        assert created.creation_time is not None

        fetched = await client.get_stream(stream)
        assert (fetched.name, fetched.shard_count, fetched.backlog) == (stream, 3, 3600)
        assert stream in [s.name for s in await client.list_streams()]
        assert [s.name for s in await client.list_streams(prefix=stream)] == [stream]

        await client.delete_stream(stream)
        assert stream not in [s.name for s in await client.list_streams()]
        with pytest.raises(inlet.StreamNotFoundError, match=stream):
            await client.get_stream(stream)


@run_async
async def test_stream_errors_map_to_exceptions(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        with pytest.raises(inlet.StreamExistsError) as exists:
            await client.create_stream(stream)
        assert exists.value.error_code == inlet.ErrorCode.StreamExists
        with pytest.raises(inlet.InvalidArgumentError):
            await client.create_stream(names("bad"), shard_count=0)
        with pytest.raises(inlet.StreamNotFoundError):
            await client.delete_stream(names("missing"))
        await client.delete_stream(names("missing"), ignore_non_exist=True)

        await client.create_subscription(names("sub"), stream)
        with pytest.raises(inlet.StreamHasSubscriptionsError):
            await client.delete_stream(stream)
        await client.delete_stream(stream, force=True)


@run_async
async def test_shards_cover_the_key_space(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=4)
        shards = sorted(await client.list_shards(stream), key=lambda s: s.start_hash_key)
        assert len(shards) == 4 and all(s.stream_name == stream for s in shards)
        assert shards[0].start_hash_key == 0 and shards[-1].end_hash_key == KEY_SPACE - 1
        assert all(a.end_hash_key + 1 == b.start_hash_key for a, b in zip(shards, shards[1:]))


@run_async
async def test_append_routes_each_key_to_its_md5_shard(node, names):
    stream = names("stream")
    keys = ["sensor-1", "device/42", "\u6e29\u5ea6-7", "c", None]
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=3)
        shards = await client.list_shards(stream)
        for key in keys:
            ids = await client.append(stream, [b"one", "two", {"three": 3}], key=key)
            h = key_hash(key or "")
            owner = [s.shard_id for s in shards if s.start_hash_key <= h <= s.end_hash_key]
            assert [i.shard_id for i in ids] == owner * 3, key
            assert [i.batch_index for i in ids] == [0, 1, 2]
            assert (await client.shard_for_key(stream, key)).shard_id == owner[0]


@run_async
async def test_appended_records_read_back_equal(node, names):
    stream = names("stream")
    documents = [{"temp": 21.5, "unit": "C", "ok": True}, {"nested": {"list": [1.5, None, "x"]}, "empty": {}}]
    async with await connect(node) as client:
        await client.create_stream(stream)
        raw_ids = await client.append(stream, [b"\x00\x01\xff", "\u00b0C"], key="k", attributes={"src": "test"})
        json_ids = await client.append(stream, documents, key="k")
        async with client.with_reader(stream, names("reader"), inlet.SpecialOffset.EARLIEST, timeout=100) as reader:
            records = await reader.read(100)
        assert [r.id for r in records] == raw_ids + json_ids
        assert [r.payload for r in records] == [b"\x00\x01\xff", "\u00b0C".encode()] + documents
        assert [r.is_json for r in records] == [False, False, True, True]
        assert records[0].header.attributes == {"src": "test"} and records[2].header.attributes == {}
        assert all(r.key == "k" and r.header.publish_time is not None for r in records)


@pytest.mark.parametrize("compresstype", [None, "gzip", "zstd"])
@run_async
async def test_append_with_compression(node, names, compresstype):
    if compresstype == "zstd":
        pytest.importorskip("zstandard")
    stream = names("stream")
    payloads = [("record %d " % i).encode() * 20 for i in range(50)] + [{"n": 1.0}]
    async with await connect(node) as client:
        await client.create_stream(stream)
        ids = await client.append(stream, payloads, compresstype=compresstype, compresslevel=3)
        assert len(ids) == len(payloads)
        async with client.with_reader(stream, names("reader"), inlet.SpecialOffset.EARLIEST, timeout=100) as reader:
            records = await reader.read(1000)
        assert [r.payload for r in records] == payloads


@run_async
async def test_zstd_append_without_zstandard_says_what_is_missing(node, names, monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "zstandard", None)
    async with await connect(node) as client:
        with pytest.raises(inlet.CompressionUnavailableError, match="zstandard"):
            await client.append(names("stream"), [b"x"], compresstype="zstd")


@run_async
async def test_append_rejects_what_it_cannot_send(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream)
        with pytest.raises(ValueError, match="at least one payload"):
            await client.append(stream, [])
        with pytest.raises(TypeError):
            await client.append(stream, [1.5])
        with pytest.raises(inlet.StreamNotFoundError):
            await client.append(names("missing"), [b"x"])


@run_async
async def test_append_follows_a_stream_recreated_with_other_shards(node, names):
    stream = names("stream")
    async with await connect(node) as client:
        await client.create_stream(stream, shard_count=1)
        first = await client.append(stream, [b"a"], key="k")
        async with await connect(node) as other:
            await other.delete_stream(stream, force=True)
            await other.create_stream(stream, shard_count=2)
        again = await client.append(stream, [b"b"], key="k")
        shards = {s.shard_id for s in await client.list_shards(stream)}
        assert first[0].shard_id not in shards and again[0].shard_id in shards
