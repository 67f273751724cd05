"""Shard readers: read one shard from a chosen position, without a subscription or acks."""

from typing import TYPE_CHECKING, AsyncIterator, List

from inlet._proto import pb
from inlet.records import decode_all
from inlet.types import Record

if TYPE_CHECKING:
    from inlet.client import HStreamDBClient


class ShardReader:
    """A server-side cursor over one shard, created by ``client.create_reader`` or
    ``client.with_reader``; each :meth:`read` continues where the previous one stopped.
    Inlet keeps the reader across a server restart, but not its position: after a restart
    it reads again from the offset it was created with.
    """

    def __init__(self, client: "HStreamDBClient", reader_id: str, stream_name: str, shard_id: int, timeout: int):
        self._client = client
        self.reader_id = reader_id
        self.stream_name = stream_name
        self.shard_id = shard_id
        #: Milliseconds a read waits for records when none is ready.
        self.timeout = timeout

    async def read(self, max_records: int = 100) -> List[Record]:
        """The records of the next stored batches, at most ``max_records`` batches (one batch
        per append, as HStreamDB counts: a batch of 100 records counts as one). Waits up to the
        reader's timeout when none is ready, then returns an empty list. The server keeps the
        reader's position, also across a restart.
        """
        conn = self._client._conn
        r = await conn.call(
            "ReadShard",
            pb.ReadShardRequest(readerId=self.reader_id, maxRecords=max_records),
            route=("reader", self.reader_id),
            timeout=conn.options.call_timeout + self.timeout / 1000.0,
        )
        return decode_all(r.receivedRecords)

    async def records(self, max_records: int = 100) -> AsyncIterator[Record]:
        """Every record from the reader's position on, waiting for new ones forever
        (``async for record in reader.records()``; break out to stop)."""
        while True:
            for record in await self.read(max_records):
                yield record

    async def delete(self) -> None:
        """Deletes the reader on the server. :raises ShardReaderNotFoundError:"""
        await self._client.delete_reader(self.reader_id)

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        await self.delete()

    def __repr__(self):
        return "ShardReader(%r, stream=%r, shard=%d)" % (self.reader_id, self.stream_name, self.shard_id)
