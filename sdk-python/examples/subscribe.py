#!/usr/bin/env python3
"""Subscriptions and consumers: create a subscription, consume with acks, stop, clean up."""

import argparse
import asyncio
import uuid

import inlet


async def main(host, port):
    suffix = uuid.uuid4().hex[:6]
    stream, subscription = "example_sub_stream_" + suffix, "example_sub_" + suffix
    async with await inlet.insecure_client(host, port) as client:
        await client.create_stream(stream, shard_count=2)
        await client.append(stream, [{"n": i} for i in range(5)], key="a")
        await client.append(stream, [b"raw %d" % i for i in range(5)], key="b")

        await client.create_subscription(
            subscription, stream,
            ack_timeout=30,  # unacknowledged records come again after 30 s
            max_unacks=1000,
            offset=inlet.SpecialOffset.EARLIEST,
        )
        print("subscriptions:", [s.subscription_id for s in await client.list_subscriptions(prefix="example_sub_")])
        print("exists:", await client.does_subscription_exist(subscription))

        received = []

        async def process(ack, stop, records):
            for record in records:
                print("got %s key=%r payload=%r" % (record.id, record.key, record.payload))
            received.extend(records)
            await ack(r.id for r in records)  # acknowledged records are never delivered again
            if len(received) >= 10:
                await stop()  # start() returns once this batch is handled

        consumer = client.new_consumer("example-consumer", subscription, process)
        await asyncio.wait_for(consumer.start(), timeout=30)
        print("consumed %d records" % len(received))

        await client.delete_subscription(subscription)
        await client.delete_stream(stream)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
