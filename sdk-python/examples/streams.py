#!/usr/bin/env python3
"""Streams: create one with several shards, look at it, list streams, delete it."""

import argparse
import asyncio
import uuid

import inlet


async def main(host, port):
    name = "example_stream_" + uuid.uuid4().hex[:6]
    async with await inlet.insecure_client(host, port) as client:
        stream = await client.create_stream(name, replication_factor=1, backlog=24 * 3600, shard_count=2)
        print("created", stream)
        print("fetched", await client.get_stream(name))

        for shard in await client.list_shards(name):
            print("shard %d holds key hashes %d..%d" % (shard.shard_id, shard.start_hash_key, shard.end_hash_key))
        print("the key 'sensor-1' goes to shard", (await client.shard_for_key(name, "sensor-1")).shard_id)

        print("streams starting with 'example_':", [s.name for s in await client.list_streams(prefix="example_")])

        await client.delete_stream(name)
        try:
            await client.get_stream(name)
        except inlet.StreamNotFoundError as e:
            print("after delete:", e)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
