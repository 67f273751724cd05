"""The asyncio client: streams, appends, subscriptions, consumers, shard readers, the cluster."""

from typing import Any, Callable, Dict, Iterable, List, Mapping, Optional, Union

import grpc
from google.protobuf import empty_pb2

from inlet._connection import ClientOptions, Connection
from inlet._proto import pb
from inlet.consumer import Consumer
from inlet.errors import InletError, StreamNotFoundError
from inlet.producer import BufferedProducer
from inlet.reader import ShardReader
from inlet.records import build_batch, compression, make_record, require_available
from inlet.routing import ShardMap
from inlet.types import (
    ClusterInfo,
    ConsumerInfo,
    Offset,
    RecordId,
    ServerNode,
    Shard,
    SpecialOffset,
    Stream,
    Subscription,
    _shard_offset,
)

DEFAULT_PORT = 6570


def _target(host: str, port: Optional[int]) -> str:
    if port is None:
        return host if ":" in host and not host.endswith("]") else "%s:%d" % (host, DEFAULT_PORT)
    return "%s:%d" % (host, int(port))


class HStreamDBClient:
    """A connection to an Inlet (or HStreamDB) cluster. Create it with :func:`insecure_client`
    or :func:`secure_client`; use it as ``async with`` or call :meth:`close`.

    Every method is a coroutine unless said otherwise, and raises an :class:`inlet.InletError`
    subclass when the call fails. Calls are retried while the server is unavailable, for up to
    ``retry_timeout`` seconds.
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: Optional[int] = DEFAULT_PORT,
        credentials: Optional[grpc.ChannelCredentials] = None,
        options: Optional[ClientOptions] = None,
    ):
        self._conn = Connection(_target(host, port), credentials, options or ClientOptions())
        self._shard_maps: Dict[str, ShardMap] = {}

    @property
    def target(self) -> str:
        """The address the client was given (``host:port``)."""
        return self._conn.bootstrap

    @property
    def options(self) -> ClientOptions:
        return self._conn.options

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.close()

    async def close(self) -> None:
        """Closes every channel; consumers and producers still running fail."""
        await self._conn.close()

    # ------------------------------------------------------------------ cluster

    async def describe_cluster(self) -> ClusterInfo:
        """The cluster's nodes and protocol version; also refreshes the client's list of nodes."""
        info = ClusterInfo._from_pb(await self._conn.call("DescribeCluster", empty_pb2.Empty()))
        self._conn.learn_nodes(list(info.nodes))
        return info

    async def init_cluster_info(self) -> None:
        """Learns the cluster's nodes (``hstreamdb`` compatibility; the factories call it)."""
        await self.describe_cluster()

    async def lookup_shard(self, shard_id: int) -> ServerNode:
        """The node serving a shard (where appends to it and readers of it go)."""
        r = await self._conn.call("LookupShard", pb.LookupShardRequest(shardId=shard_id))
        return ServerNode._from_pb(r.serverNode)

    async def lookup_subscription(self, subscription: str) -> ServerNode:
        """The node serving a subscription (where its consumers connect)."""
        r = await self._conn.call("LookupSubscription", pb.LookupSubscriptionRequest(subscriptionId=subscription))
        return ServerNode._from_pb(r.serverNode)

    async def lookup_shard_reader(self, reader_id: str) -> ServerNode:
        r = await self._conn.call("LookupShardReader", pb.LookupShardReaderRequest(readerId=reader_id))
        return ServerNode._from_pb(r.serverNode)

    async def lookup_key(self, key: str) -> ServerNode:
        """The node the cluster assigns to a partition key."""
        return ServerNode._from_pb(await self._conn.call("LookupKey", pb.LookupKeyRequest(partitionKey=key)))

    # ------------------------------------------------------------------ streams

    async def create_stream(
        self, name: str, replication_factor: int = 1, backlog: int = 24 * 60 * 60, shard_count: int = 1
    ) -> Stream:
        """Creates a stream.

        :param backlog: retention in seconds (0 keeps records until trimmed)
        :raises StreamExistsError: a stream of that name exists
        """
        created = await self._conn.call(
            "CreateStream",
            pb.Stream(
                streamName=name, replicationFactor=replication_factor, backlogDuration=backlog, shardCount=shard_count
            ),
        )
        self._shard_maps.pop(name, None)
        return Stream._from_pb(created)

    async def get_stream(self, name: str) -> Stream:
        """:raises StreamNotFoundError: no such stream"""
        return Stream._from_pb((await self._conn.call("GetStream", pb.GetStreamRequest(name=name))).stream)

    async def list_streams(self, prefix: str = "") -> List[Stream]:
        if prefix:
            r = await self._conn.call("ListStreamsWithPrefix", pb.ListStreamsWithPrefixRequest(prefix=prefix))
        else:
            r = await self._conn.call("ListStreams", pb.ListStreamsRequest())
        return [Stream._from_pb(s) for s in r.streams]

    async def delete_stream(self, name: str, ignore_non_exist: bool = False, force: bool = False) -> None:
        """Deletes a stream and its records.

        :param force: delete it even though subscriptions still read it
        :raises StreamNotFoundError: no such stream (unless ``ignore_non_exist``)
        :raises StreamHasSubscriptionsError: it has subscriptions and ``force`` is False
        """
        await self._conn.call(
            "DeleteStream", pb.DeleteStreamRequest(streamName=name, ignoreNonExist=ignore_non_exist, force=force)
        )
        self._shard_maps.pop(name, None)

    async def list_shards(self, stream_name: str) -> List[Shard]:
        r = await self._conn.call("ListShards", pb.ListShardsRequest(streamName=stream_name))
        return [Shard._from_pb(s) for s in r.shards]

    async def _shard_map(self, stream_name: str, refresh: bool = False) -> ShardMap:
        shard_map = self._shard_maps.get(stream_name)
        if shard_map is None or refresh:
            shard_map = ShardMap(stream_name, await self.list_shards(stream_name))
            if not shard_map.shards:
                raise StreamNotFoundError(
                    "stream %r has no active shard" % stream_name, grpc.StatusCode.NOT_FOUND
                )
            self._shard_maps[stream_name] = shard_map
        return shard_map

    async def shard_for_key(self, stream_name: str, key: Optional[str]) -> Shard:
        """The shard a record with this key goes to (MD5 routing; no key hashes "")."""
        return (await self._shard_map(stream_name)).shard_for(key or "")

    # ------------------------------------------------------------------ append

    async def append(
        self,
        name: str,
        payloads: Iterable[Any],
        key: Optional[str] = None,
        compresstype: Union[None, str] = None,
        compresslevel: int = 1,
        attributes: Optional[Mapping[str, str]] = None,
    ) -> List[RecordId]:
        """Appends records to a stream as one batch, in the shard the key hashes to.

        :param payloads: ``bytes`` or ``str`` (RAW records, str as UTF-8) and ``dict`` (JSON records)
        :param key: the partition key of every record (None: the empty key)
        :param compresstype: None, ``"gzip"`` or ``"zstd"`` (zstd needs the ``zstandard`` module)
        :param attributes: string attributes every record carries in its header
        :return: the records' ids, in order, once the batch is durable on the server
        :raises CompressionUnavailableError: ``"zstd"`` without the ``zstandard`` module
        :raises StreamNotFoundError: no such stream
        """
        kind = compression(compresstype)
        require_available(kind)
        key = key or ""
        records = [make_record(p, key, attributes) for p in payloads]
        if not records:
            raise ValueError("append needs at least one payload")
        batch = build_batch(records, kind, compresslevel)
        return await self._append_batch(name, key, batch)

    async def _append_batch(self, name: str, key: str, batch, retry: bool = True) -> List[RecordId]:
        shard_map = await self._shard_map(name)
        for attempt in range(2):
            shard = shard_map.shard_for(key)
            request = pb.AppendRequest(streamName=name, shardId=shard.shard_id, records=batch)
            try:
                r = await self._conn.call("Append", request, route=("shard", shard.shard_id), retry=retry)
                return [RecordId._from_pb(i) for i in r.recordIds]
            except StreamNotFoundError:
                # The stream may have been deleted and created again with other shards.
                self._shard_maps.pop(name, None)
                if attempt == 1:
                    raise
                shard_map = await self._shard_map(name, refresh=True)
        raise AssertionError("unreachable")

    def new_producer(
        self,
        append_callback: Optional[BufferedProducer.AppendCallback] = None,
        size_trigger: int = 0,
        time_trigger: float = 0,
        workers: int = 1,
        retry_count: int = 0,
        retry_max_delay: float = 60,
        compresstype: Union[None, str] = None,
        compresslevel: int = 1,
        max_buffered_batches: int = 16,
    ) -> BufferedProducer:
        """A producer that batches records per (stream, key); see :class:`BufferedProducer`.

        Must be called with an event loop running (inside a coroutine).
        """
        return BufferedProducer(
            self,
            append_callback=append_callback,
            size_trigger=size_trigger,
            time_trigger=time_trigger,
            workers=workers,
            retry_count=retry_count,
            retry_max_delay=retry_max_delay,
            compresstype=compresstype,
            compresslevel=compresslevel,
            max_buffered_batches=max_buffered_batches,
        )

    # ------------------------------------------------------------ subscriptions

    async def create_subscription(
        self,
        subscription: str,
        stream_name: str,
        ack_timeout: int = 600,
        max_unacks: int = 10000,
        offset: SpecialOffset = SpecialOffset.LATEST,
    ) -> Subscription:
        """Creates a subscription on a stream.

        :param ack_timeout: seconds before an unacknowledged record is delivered again
        :param max_unacks: how many records may be delivered and unacknowledged at once
        :param offset: start at the oldest record (EARLIEST) or at the end of the stream (LATEST)
        :raises SubscriptionExistsError: a subscription of that name exists
        :raises SubscriptionStreamNotFoundError: the stream does not exist
        """
        created = await self._conn.call(
            "CreateSubscription",
            pb.Subscription(
                subscriptionId=subscription,
                streamName=stream_name,
                ackTimeoutSeconds=ack_timeout,
                maxUnackedRecords=max_unacks,
                offset=int(SpecialOffset(offset)),
            ),
        )
        return Subscription._from_pb(created)

    async def get_subscription(self, subscription: str) -> Subscription:
        """The subscription with its per-shard checkpoints. :raises SubscriptionNotFoundError:"""
        r = await self._conn.call("GetSubscription", pb.GetSubscriptionRequest(id=subscription))
        return Subscription._from_pb(r.subscription, r.offsets)

    async def list_subscriptions(self, prefix: str = "") -> List[Subscription]:
        if prefix:
            r = await self._conn.call(
                "ListSubscriptionsWithPrefix", pb.ListSubscriptionsWithPrefixRequest(prefix=prefix)
            )
        else:
            r = await self._conn.call("ListSubscriptions", pb.ListSubscriptionsRequest())
        return [Subscription._from_pb(s) for s in r.subscription]

    async def does_subscription_exist(self, subscription: str) -> bool:
        r = await self._conn.call(
            "CheckSubscriptionExist", pb.CheckSubscriptionExistRequest(subscriptionId=subscription)
        )
        return r.exists

    subscription_exists = does_subscription_exist

    async def delete_subscription(self, subscription: str, force: bool = False) -> None:
        """:param force: delete it even though consumers are connected (they are disconnected)
        :raises SubscriptionNotFoundError: no such subscription
        :raises SubscriptionHasConsumersError: consumers are connected and ``force`` is False
        """
        await self._conn.call(
            "DeleteSubscription", pb.DeleteSubscriptionRequest(subscriptionId=subscription, force=force)
        )

    async def list_consumers(self, subscription: str) -> List[ConsumerInfo]:
        """The consumers connected to a subscription right now."""
        r = await self._conn.call(
            "ListConsumers", pb.ListConsumersRequest(subscriptionId=subscription), route=("subscription", subscription)
        )
        return [ConsumerInfo(c.name, c.uri, c.userAgent) for c in r.consumers]

    def new_consumer(
        self,
        name: str,
        subscription: str,
        processing_func: Callable,
        reconnect_timeout: Optional[float] = None,
    ) -> Consumer:
        """A consumer of a subscription; see :class:`Consumer`. ``await consumer.start()`` runs it."""
        return Consumer(self, name, subscription, processing_func, reconnect_timeout=reconnect_timeout)

    # ------------------------------------------------------------ shard readers

    async def create_reader(
        self,
        stream_name: str,
        reader_id: str,
        offset: Offset = SpecialOffset.EARLIEST,
        timeout: int = 1000,
        shard_id: Optional[int] = None,
    ) -> ShardReader:
        """Creates a shard reader; delete it with :meth:`ShardReader.delete` (or use :meth:`with_reader`).

        :param offset: where it starts: SpecialOffset.EARLIEST/LATEST, a RecordId, a
            TimestampOffset or a datetime (the first record stored at or after it)
        :param timeout: milliseconds a read waits for records when none is ready
        :param shard_id: the shard to read; may be left out when the stream has one shard
        """
        if shard_id is None:
            shards = await self.list_shards(stream_name)
            if len(shards) != 1:
                raise ValueError(
                    "stream %r has %d shards; say which one to read with shard_id" % (stream_name, len(shards))
                )
            shard_id = shards[0].shard_id
        request = pb.CreateShardReaderRequest(
            streamName=stream_name,
            shardId=shard_id,
            shardOffset=_shard_offset(offset),
            readerId=reader_id,
            timeout=timeout,
        )
        # As HStreamDB: the reader lives on the node LookupShardReader names for its id, which then
        # serves every ReadShard of it (that node reads the shard wherever it is held).
        await self._conn.call("CreateShardReader", request, route=("reader", reader_id))
        return ShardReader(self, reader_id, stream_name, shard_id, timeout)

    def with_reader(
        self,
        stream_name: str,
        reader_id: str,
        offset: Offset = SpecialOffset.EARLIEST,
        timeout: int = 1000,
        shard_id: Optional[int] = None,
    ):
        """``async with client.with_reader(...) as reader``: a shard reader deleted on exit."""
        return _ReaderScope(self, stream_name, reader_id, offset, timeout, shard_id)

    async def list_readers(self) -> List[str]:
        """The ids of every shard reader."""
        r = await self._conn.call("ListShardReaders", pb.ListShardReadersRequest())
        return list(r.readerId)

    async def delete_reader(self, reader_id: str) -> None:
        """:raises ShardReaderNotFoundError: no such reader"""
        await self._conn.call(
            "DeleteShardReader", pb.DeleteShardReaderRequest(readerId=reader_id), route=("reader", reader_id)
        )


class _ReaderScope:
    def __init__(self, client, *args):
        self._client = client
        self._args = args
        self._reader = None

    async def __aenter__(self) -> ShardReader:
        self._reader = await self._client.create_reader(*self._args)
        return self._reader

    async def __aexit__(self, *exc):
        try:
            await self._reader.delete()
        except InletError:
            if exc[0] is None:
                raise


async def insecure_client(host: str = "127.0.0.1", port: Optional[int] = DEFAULT_PORT, **options) -> HStreamDBClient:
    """Connects without TLS and learns the cluster's nodes.

    :param host: a host name or address, or ``"host:port"`` (then leave ``port`` None)
    :param options: :class:`ClientOptions` fields (``call_timeout``, ``retry_timeout``, ...)
    """
    client = HStreamDBClient(host, port, None, ClientOptions(**options))
    try:
        await client.init_cluster_info()
    except BaseException:
        await client.close()
        raise
    return client


async def secure_client(
    host: str = "127.0.0.1",
    port: Optional[int] = DEFAULT_PORT,
    is_creds_file: bool = False,
    root_certificates: Union[None, bytes, str] = None,
    private_key: Union[None, bytes, str] = None,
    certificate_chain: Union[None, bytes, str] = None,
    **options,
) -> HStreamDBClient:
    """Connects over TLS and learns the cluster's nodes.

    :param root_certificates: PEM of the CAs to trust (None: the system's)
    :param private_key: PEM of the client's key, for mutual TLS
    :param certificate_chain: PEM of the client's certificate chain, for mutual TLS
    :param is_creds_file: the three values are file paths to read instead of PEM contents
    """

    def pem(value):
        if value is None:
            return None
        if is_creds_file:
            with open(value, "rb") as f:
                return f.read()
        return value.encode("ascii") if isinstance(value, str) else value

    credentials = grpc.ssl_channel_credentials(pem(root_certificates), pem(private_key), pem(certificate_chain))
    client = HStreamDBClient(host, port, credentials, ClientOptions(**options))
    try:
        await client.init_cluster_info()
    except BaseException:
        await client.close()
        raise
    return client

