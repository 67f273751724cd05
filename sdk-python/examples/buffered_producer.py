#!/usr/bin/env python3
"""Buffered producer: batch records per (stream, key) by size and time, with retries and callbacks."""

import argparse
import asyncio
import uuid

import inlet


class Report(inlet.BufferedProducer.AppendCallback):
    def on_success(self, stream_name, payloads, stream_keyid):
        print("batch of %d records for key %r is durable" % (len(payloads), stream_keyid))

    def on_fail(self, stream_name, payloads, stream_keyid, e):
        print("batch of %d records for key %r failed: %s" % (len(payloads), stream_keyid, e))


async def main(host, port):
    name = "example_producer_" + uuid.uuid4().hex[:6]
    async with await inlet.insecure_client(host, port) as client:
        await client.create_stream(name, shard_count=2)
        producer = client.new_producer(
            append_callback=Report(),
            size_trigger=4096,  # send a group once it holds 4 KiB of payloads ...
            time_trigger=0.5,  # ... or half a second after its first record
            workers=2,
            retry_count=5,  # retry batches the server could not take (it was unavailable)
            retry_max_delay=2,
            compresstype="gzip",
        )
        futures = []
        for i in range(300):
            device = "device-%d" % (i % 3)
            futures.append(await producer.append(name, {"device": device, "reading": i}, key=device))

        # Each append returned a future of the record's id.
        first = await futures[0]
        print("the first record is", first)
        await producer.flush()  # sends what is buffered and waits for it
        await producer.wait_and_close()
        print("all %d records appended" % sum(1 for f in futures if f.done() and not f.exception()))
        await client.delete_stream(name, force=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
