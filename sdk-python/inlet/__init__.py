"""Inlet's Python SDK: an asyncio client for Inlet and other HStreamDB-compatible servers.

Code written for the ``hstreamdb`` package moves over by changing its import to
``import inlet as hstreamdb``::

    import asyncio
    import inlet

    async def main():
        async with await inlet.insecure_client(host="127.0.0.1", port=6570) as client:
            await client.create_stream("demo", shard_count=2)
            ids = await client.append("demo", [b"raw bytes", {"temperature": 21.5}], key="dev-1")

    asyncio.run(main())

For scripts without asyncio, :mod:`inlet.sync` wraps the same API in blocking calls.
"""

from inlet._connection import ClientOptions
from inlet._version import __version__
from inlet.client import DEFAULT_PORT, HStreamDBClient, insecure_client, secure_client
from inlet.consumer import Consumer
from inlet.errors import (
    AlreadyExistsError,
    CompressionUnavailableError,
    ConsumerExistsError,
    DeadlineExceededError,
    DecodeError,
    ErrorCode,
    FailedPreconditionError,
    InletError,
    InternalServerError,
    InvalidArgumentError,
    NotFoundError,
    PermissionDeniedError,
    ProducerClosedError,
    ShardReaderExistsError,
    ShardReaderNotFoundError,
    StreamExistsError,
    StreamHasSubscriptionsError,
    StreamNotFoundError,
    SubscriptionExistsError,
    SubscriptionHasConsumersError,
    SubscriptionNotFoundError,
    SubscriptionStreamNotFoundError,
    UnavailableError,
    UnimplementedError,
)
from inlet.producer import BufferedProducer
from inlet.reader import ShardReader
from inlet.routing import key_hash
from inlet.types import (
    ClusterInfo,
    CompressionType,
    ConsumerInfo,
    NodeState,
    Record,
    RecordHeader,
    RecordId,
    RecordType,
    ServerNode,
    Shard,
    ShardOffset,
    SpecialOffset,
    Stream,
    Subscription,
    TimestampOffset,
)

#: The client class under a name of its own.
Client = HStreamDBClient

__all__ = [
    "AlreadyExistsError",
    "BufferedProducer",
    "Client",
    "ClientOptions",
    "ClusterInfo",
    "CompressionType",
    "CompressionUnavailableError",
    "Consumer",
    "ConsumerExistsError",
    "ConsumerInfo",
    "DEFAULT_PORT",
    "DeadlineExceededError",
    "DecodeError",
    "ErrorCode",
    "FailedPreconditionError",
    "HStreamDBClient",
    "InletError",
    "InternalServerError",
    "InvalidArgumentError",
    "NodeState",
    "NotFoundError",
    "PermissionDeniedError",
    "ProducerClosedError",
    "Record",
    "RecordHeader",
    "RecordId",
    "RecordType",
    "ServerNode",
    "Shard",
    "ShardOffset",
    "ShardReader",
    "ShardReaderExistsError",
    "ShardReaderNotFoundError",
    "SpecialOffset",
    "Stream",
    "StreamExistsError",
    "StreamHasSubscriptionsError",
    "StreamNotFoundError",
    "Subscription",
    "SubscriptionExistsError",
    "SubscriptionHasConsumersError",
    "SubscriptionNotFoundError",
    "SubscriptionStreamNotFoundError",
    "TimestampOffset",
    "UnavailableError",
    "UnimplementedError",
    "__version__",
    "insecure_client",
    "key_hash",
    "secure_client",
]
