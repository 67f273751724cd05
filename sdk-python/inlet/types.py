"""The values the SDK hands out and takes: streams, shards, subscriptions, records, offsets.

All are immutable. They are converted from and to the wire messages here and
nowhere else (the ``_from_pb``/``_to_pb`` helpers are private to the SDK).
"""

import datetime
import enum
from dataclasses import dataclass, field
from typing import Dict, Optional, Tuple, Union

from inlet._proto import pb

#: The protocol's shard offset message, for code written against ``hstreamdb``
#: (``offset = ShardOffset(); offset.specialOffset = SpecialOffset.EARLIEST``).
ShardOffset = pb.ShardOffset


class SpecialOffset(enum.IntEnum):
    """Where a subscription or a reader starts: the oldest record or the end of the stream."""

    EARLIEST = 0
    LATEST = 1


class RecordType(enum.IntEnum):
    """How a record's payload is encoded (the header flag)."""

    JSON = 0  # a google.protobuf.Struct; the SDK hands it out as a dict
    RAW = 1  # bytes


class CompressionType(enum.Enum):
    """How a batch of records is compressed on the wire and in the store."""

    NONE = "none"
    GZIP = "gzip"
    ZSTD = "zstd"


class NodeState(enum.IntEnum):
    STARTING = 0
    RUNNING = 1
    UNAVAILABLE = 2
    DEAD = 3


def _timestamp(ts) -> Optional[datetime.datetime]:
    if ts is None or (ts.seconds == 0 and ts.nanos == 0):
        return None
    return datetime.datetime.fromtimestamp(ts.seconds + ts.nanos / 1e9, tz=datetime.timezone.utc)


@dataclass(frozen=True, order=True)
class RecordId:
    """Where a record is stored: its shard, its batch (the batch's LSN) and its place in the batch.

    ``str(record_id)`` is ``"shardId-batchId-batchIndex"``, the form Inlet's CLI prints and
    ``RecordId.parse`` reads.
    """

    shard_id: int
    batch_id: int
    batch_index: int

    def __str__(self):
        return "%d-%d-%d" % (self.shard_id, self.batch_id, self.batch_index)

    @classmethod
    def parse(cls, text: str) -> "RecordId":
        parts = text.strip().split("-")
        if len(parts) != 3 or not all(p.isdigit() for p in parts):
            raise ValueError("a record id looks like shardId-batchId-batchIndex, found: %r" % text)
        return cls(int(parts[0]), int(parts[1]), int(parts[2]))

    @classmethod
    def _from_pb(cls, m) -> "RecordId":
        return cls(m.shardId, m.batchId, m.batchIndex)

    def _to_pb(self):
        return pb.RecordId(shardId=self.shard_id, batchId=self.batch_id, batchIndex=self.batch_index)


@dataclass(frozen=True)
class TimestampOffset:
    """A position in time: the first record stored at or after ``timestamp_ms`` (ms since the epoch)."""

    timestamp_ms: int
    strict_accuracy: bool = False

    @classmethod
    def of(cls, when: datetime.datetime) -> "TimestampOffset":
        """The offset of a datetime (naive datetimes are taken as local time)."""
        return cls(int(when.timestamp() * 1000))


#: What a shard reader accepts as its start.
Offset = Union[SpecialOffset, RecordId, TimestampOffset, datetime.datetime, "pb.ShardOffset"]


def _shard_offset(offset) -> "pb.ShardOffset":
    if isinstance(offset, pb.ShardOffset):
        return offset
    if isinstance(offset, SpecialOffset):
        return pb.ShardOffset(specialOffset=int(offset))
    if isinstance(offset, RecordId):
        return pb.ShardOffset(recordOffset=offset._to_pb())
    if isinstance(offset, datetime.datetime):
        offset = TimestampOffset.of(offset)
    if isinstance(offset, TimestampOffset):
        return pb.ShardOffset(
            timestampOffset=pb.TimestampOffset(
                timestampInMs=offset.timestamp_ms, strictAccuracy=offset.strict_accuracy
            )
        )
    raise TypeError(
        "an offset is a SpecialOffset, a RecordId, a TimestampOffset or a datetime, found: %r" % (offset,)
    )


@dataclass(frozen=True)
class Stream:
    name: str
    replication_factor: int
    #: Retention in seconds; 0 keeps records until they are trimmed.
    backlog: int
    shard_count: int
    creation_time: Optional[datetime.datetime] = None

    @classmethod
    def _from_pb(cls, m) -> "Stream":
        return cls(m.streamName, m.replicationFactor, m.backlogDuration, m.shardCount, _timestamp(m.creationTime))


@dataclass(frozen=True)
class Shard:
    """One shard of a stream: it holds the keys whose MD5 lies in [start_hash_key, end_hash_key]."""

    shard_id: int
    stream_name: str
    start_hash_key: int
    end_hash_key: int
    epoch: int = 0
    is_active: bool = True

    @classmethod
    def _from_pb(cls, m) -> "Shard":
        return cls(m.shardId, m.streamName, int(m.startHashRangeKey), int(m.endHashRangeKey), m.epoch, m.isActive)


@dataclass(frozen=True)
class Subscription:
    subscription_id: str
    stream_name: str
    #: Seconds a delivered record may stay unacknowledged before it is delivered again.
    ack_timeout: int
    #: How many records may be delivered and not yet acknowledged.
    max_unacks: int
    offset: SpecialOffset = SpecialOffset.LATEST
    creation_time: Optional[datetime.datetime] = None
    #: Per shard, the last batch id of the acknowledged prefix (only from ``get_subscription``).
    checkpoints: Dict[int, int] = field(default_factory=dict, compare=False)

    @classmethod
    def _from_pb(cls, m, offsets=()) -> "Subscription":
        return cls(
            m.subscriptionId,
            m.streamName,
            m.ackTimeoutSeconds,
            m.maxUnackedRecords,
            SpecialOffset(m.offset),
            _timestamp(m.creationTime),
            {o.shardId: o.batchId for o in offsets},
        )


@dataclass(frozen=True)
class ConsumerInfo:
    name: str
    uri: str
    user_agent: str


@dataclass(frozen=True)
class ServerNode:
    id: int
    host: str
    port: int
    version: str = ""

    @property
    def address(self) -> str:
        """``host:port``, what a client dials."""
        host = self.host
        if ":" in host and not host.startswith("["):
            host = "[%s]" % host
        return "%s:%d" % (host, self.port)

    @classmethod
    def _from_pb(cls, m) -> "ServerNode":
        return cls(m.id, m.host, m.port, m.version.version if m.HasField("version") else "")


@dataclass(frozen=True)
class ClusterInfo:
    protocol_version: str
    nodes: Tuple[ServerNode, ...]
    states: Dict[int, NodeState]
    uptime_seconds: int

    @classmethod
    def _from_pb(cls, m) -> "ClusterInfo":
        states = {}
        for s in m.serverNodesStatus:
            try:
                states[s.node.id] = NodeState(s.state)
            except ValueError:
                states[s.node.id] = NodeState.UNAVAILABLE
        return cls(m.protocolVersion, tuple(ServerNode._from_pb(n) for n in m.serverNodes), states, m.clusterUpTime)


@dataclass(frozen=True)
class RecordHeader:
    flag: RecordType
    key: str
    attributes: Dict[str, str]
    #: When the server stored the record's batch (UTC).
    publish_time: Optional[datetime.datetime]


@dataclass(frozen=True)
class Record:
    """A record read back: its id, header and payload (bytes for RAW records, a dict for JSON)."""

    id: RecordId
    header: RecordHeader
    payload: Union[bytes, dict]

    @property
    def key(self) -> str:
        return self.header.key

    @property
    def is_json(self) -> bool:
        return self.header.flag == RecordType.JSON
