#!/usr/bin/env python3
"""Code written for the `hstreamdb` package runs on Inlet's SDK by changing its import.

This is the quick start of Inlet's README, written for `hstreamdb`, with one line changed.
"""

import argparse
import asyncio
import uuid

import inlet as hstreamdb  # was: import hstreamdb


async def main(host, port):
    suffix = uuid.uuid4().hex[:6]
    stream, subscription = "demo_" + suffix, "demo_sub_" + suffix
    async with await hstreamdb.insecure_client(host=host, port=port) as client:
        await client.create_stream(stream, replication_factor=1, backlog=24 * 3600, shard_count=1)
        await client.append(stream, [b"some raw bytes", {"temperature": 21.5}])

        await client.create_subscription(subscription, stream, ack_timeout=600, max_unacks=10000,
                                         offset=hstreamdb.SpecialOffset.EARLIEST)

        async def process(ack, stop, records):
            records = list(records)
            for r in records:
                print(r)
            await ack(r.id for r in records)
            await stop()

        await client.new_consumer("consumer-1", subscription, process).start()

        # The reader API of hstreamdb's guides, with its ShardOffset message.
        offset = hstreamdb.ShardOffset()
        offset.specialOffset = hstreamdb.SpecialOffset.EARLIEST
        async with client.with_reader(stream, "reader_" + suffix, offset, 1000) as reader:
            for i, r in enumerate(await reader.read(10)):
                print("[%d] payload: %r" % (i, r.payload))

        await client.delete_subscription(subscription, force=True)
        await client.delete_stream(stream, ignore_non_exist=True, force=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
