#!/usr/bin/env python3
"""Shard readers: read a shard from the earliest record, the latest, a record id or a point in time."""

import argparse
import asyncio
import datetime
import uuid

import inlet


async def main(host, port):
    suffix = uuid.uuid4().hex[:6]
    stream = "example_reader_" + suffix
    async with await inlet.insecure_client(host, port) as client:
        await client.create_stream(stream)  # one shard: readers need no shard_id
        first = await client.append(stream, [b"a", b"b", b"c"])
        await asyncio.sleep(0.01)
        middle = datetime.datetime.now(datetime.timezone.utc)
        await asyncio.sleep(0.01)
        await client.append(stream, [b"d", b"e"])

        # timeout: milliseconds a read waits for records when none is ready.
        async with client.with_reader(stream, "reader_earliest_" + suffix, inlet.SpecialOffset.EARLIEST,
                                      timeout=200) as reader:
            print("from EARLIEST:", [r.payload for r in await reader.read(100)])

        async with client.with_reader(stream, "reader_id_" + suffix, first[1], timeout=200) as reader:
            print("from record %s:" % first[1], [r.payload for r in await reader.read(100)])

        async with client.with_reader(stream, "reader_time_" + suffix, middle, timeout=200) as reader:
            print("stored since %s:" % middle.time(), [r.payload for r in await reader.read(100)])

        async with client.with_reader(stream, "reader_latest_" + suffix, inlet.SpecialOffset.LATEST,
                                      timeout=2000) as reader:
            waiting = asyncio.ensure_future(reader.read(100))  # waits up to 2 s for new records
            await client.append(stream, [b"f"])
            print("from LATEST:", [r.payload for r in await waiting])

        # A reader also iterates: every record from its position on, waiting for new ones.
        reader = await client.create_reader(stream, "reader_iter_" + suffix, inlet.SpecialOffset.EARLIEST)
        async for record in reader.records():
            print("iterated", record.id, record.payload)
            if record.payload == b"f":
                break
        await reader.delete()

        await client.delete_stream(stream)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
