#!/usr/bin/env python3
"""Errors: every failure is an inlet.InletError subclass carrying the status and Inlet's error code."""

import argparse
import asyncio
import uuid

import inlet


async def main(host, port):
    name = "example_errors_" + uuid.uuid4().hex[:6]
    async with await inlet.insecure_client(host, port, retry_timeout=5) as client:
        await client.create_stream(name)
        try:
            await client.create_stream(name)
        except inlet.StreamExistsError as e:
            print("exists:", e.message, "| status", e.code().name, "| error code", e.error_code.name)

        try:
            await client.append("no_such_stream_" + name, [b"x"])
        except inlet.NotFoundError as e:  # StreamNotFoundError is a NotFoundError
            print("not found:", type(e).__name__, e)

        await client.create_subscription(name + "_sub", name)
        try:
            await client.delete_stream(name)
        except inlet.FailedPreconditionError as e:
            print("precondition:", type(e).__name__, e.message)

        try:
            await client.create_stream("bad_" + name, shard_count=0)
        except inlet.InvalidArgumentError as e:
            print("invalid:", e.message)

        try:
            await client.append(name, [b"x"], compresstype="zstd")
        except inlet.CompressionUnavailableError as e:
            print("local:", e)
        except inlet.InletError as e:
            print("unexpected:", e)

        # UNAVAILABLE is retried for retry_timeout seconds, then raised as UnavailableError.
        try:
            await inlet.insecure_client("127.0.0.1", 1, retry_timeout=0.5)
        except inlet.UnavailableError as e:
            print("unavailable (retriable=%s): %s" % (e.retriable, e))

        await client.delete_stream(name, force=True)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=6570)
    args = parser.parse_args()
    asyncio.run(main(args.host, args.port))
