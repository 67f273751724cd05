"""The buffered producer: collects records per (stream, key) and appends them in batches."""

import asyncio
import inspect
import logging
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Set, Tuple

from inlet.errors import InletError, ProducerClosedError
from inlet.records import build_batch, compression, make_record, payload_size, require_available

if TYPE_CHECKING:
    from inlet.client import HStreamDBClient

log = logging.getLogger("inlet")

#: A batch is cut before it would grow past this many payload bytes, whatever the triggers say,
#: to stay below the server's largest accepted batch (max-record-size, 1 MiB by default).
BATCH_BYTES_LIMIT = 900 * 1024

GroupKey = Tuple[str, Optional[str]]


class _Item:
    __slots__ = ("payload", "record", "future")

    def __init__(self, payload, record, future):
        self.payload = payload
        self.record = record
        self.future = future


class _Group:
    """The records of one (stream, key) waiting to be cut into a batch."""

    def __init__(self):
        self.items: List[_Item] = []
        self.size = 0
        self.timer: Optional[asyncio.TimerHandle] = None

    def take(self) -> List[_Item]:
        items, self.items, self.size = self.items, [], 0
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        return items


class _Batch:
    __slots__ = ("stream", "key", "items", "done")

    def __init__(self, stream, key, items):
        self.stream = stream
        self.key = key
        self.items = items
        self.done = asyncio.Event()


class BufferedProducer:
    """Appends records in batches, made by ``client.new_producer(...)`` inside a coroutine.

    ``await producer.append(stream, payload, key=None)`` buffers one record and returns an
    ``asyncio.Future`` that resolves to its :class:`inlet.RecordId` once the batch holding it is
    durable (or fails with the append's error). Records are grouped per (stream, key), and a
    group's buffer becomes a batch when

    - its payloads reach ``size_trigger`` bytes (0: no size trigger),
    - ``time_trigger`` seconds passed since its first record came (0: no time trigger),
    - :meth:`flush` or :meth:`wait_and_close` is called,
    - or it would grow past :data:`BATCH_BYTES_LIMIT`.

    With neither trigger set, records wait for :meth:`flush`. ``workers`` tasks send batches
    concurrently; the batches of one group are sent one after the other, in order. A batch that
    fails with a retriable error (the server is unavailable) is sent again up to ``retry_count``
    times, pausing 0.1 s, 0.2 s, 0.4 s ... (at most ``retry_max_delay``). At most
    ``max_buffered_batches`` batches wait to be sent; ``append`` waits for room beyond that.

    ``append_callback`` (an :class:`AppendCallback`) hears of every batch:
    ``on_success(stream_name, payloads, key)`` or ``on_fail(stream_name, payloads, key, error)``.
    """

    class AppendCallback:
        """Override either method; both may also be coroutine functions."""

        def on_success(self, stream_name: str, payloads: List[Any], stream_keyid: Optional[str]):
            pass

        def on_fail(self, stream_name: str, payloads: List[Any], stream_keyid: Optional[str], e: BaseException):
            pass

    def __init__(
        self,
        client: "HStreamDBClient",
        append_callback: Optional["BufferedProducer.AppendCallback"] = None,
        size_trigger: int = 0,
        time_trigger: float = 0,
        workers: int = 1,
        retry_count: int = 0,
        retry_max_delay: float = 60,
        compresstype=None,
        compresslevel: int = 1,
        max_buffered_batches: int = 16,
    ):
        if workers < 1:
            raise ValueError("workers must be at least 1, found: %r" % workers)
        if size_trigger < 0 or time_trigger < 0 or retry_count < 0:
            raise ValueError("size_trigger, time_trigger and retry_count must not be negative")
        if max_buffered_batches < 1:
            raise ValueError("max_buffered_batches must be at least 1, found: %r" % max_buffered_batches)
        self._client = client
        self._callback = append_callback
        self._size_trigger = size_trigger
        self._time_trigger = time_trigger
        self._retry_count = retry_count
        self._retry_max_delay = retry_max_delay
        self._compression = compression(compresstype)
        require_available(self._compression)
        self._level = compresslevel
        self._max_pending = max_buffered_batches
        self._loop = asyncio.get_running_loop()
        self._groups: Dict[GroupKey, _Group] = {}
        self._pending: Set[_Batch] = set()
        self._room = asyncio.Event()
        self._room.set()
        self._queues: List[asyncio.Queue] = [asyncio.Queue() for _ in range(workers)]
        self._workers = [asyncio.ensure_future(self._work(q)) for q in self._queues]
        self._closed = False

    @property
    def closed(self) -> bool:
        return self._closed

    async def append(self, stream_name: str, payload: Any, key: Optional[str] = None, attributes=None):
        """Buffers one record; returns a future of its :class:`inlet.RecordId`.

        :raises ProducerClosedError: after :meth:`wait_and_close`
        :raises TypeError: the payload is not bytes, str or dict
        """
        if self._closed:
            raise ProducerClosedError("the producer is closed")
        record = make_record(payload, key or "", attributes)
        size = payload_size(payload)
        while len(self._pending) >= self._max_pending:
            self._room.clear()
            await self._room.wait()
            if self._closed:
                raise ProducerClosedError("the producer is closed")
        group_key = (stream_name, key)
        group = self._groups.get(group_key)
        if group is None:
            group = self._groups[group_key] = _Group()
        if group.items and group.size + size > BATCH_BYTES_LIMIT:
            self._cut(group_key)
        future = self._loop.create_future()
        group.items.append(_Item(payload, record, future))
        group.size += size
        if self._size_trigger and group.size >= self._size_trigger:
            self._cut(group_key)
        elif self._time_trigger and group.timer is None:
            group.timer = self._loop.call_later(self._time_trigger, self._cut, group_key)
        return future

    async def flush(self, stream_name: Optional[str] = None, key: Optional[str] = None) -> None:
        """Sends what is buffered (for one stream and key, or everything when ``stream_name`` is
        None) and waits until every batch sent so far has succeeded or failed."""
        for group_key in list(self._groups):
            if stream_name is None or group_key == (stream_name, key):
                self._cut(group_key)
        pending = list(self._pending)
        if pending:
            await asyncio.gather(*(b.done.wait() for b in pending))

    async def wait_and_close(self) -> None:
        """Sends everything buffered, waits for it, and stops the producer. Idempotent."""
        if self._closed:
            await asyncio.gather(*self._workers, return_exceptions=True)
            return
        self._closed = True
        for group_key in list(self._groups):
            self._cut(group_key)
        self._room.set()
        for queue in self._queues:
            queue.put_nowait(None)
        await asyncio.gather(*self._workers, return_exceptions=True)

    close = wait_and_close

    # ---------------------------------------------------------------- internals

    def _cut(self, group_key: GroupKey) -> None:
        group = self._groups.get(group_key)
        if group is None or not group.items:
            return
        batch = _Batch(group_key[0], group_key[1], group.take())
        self._pending.add(batch)
        # Every batch of a group goes through the same worker, so a group's batches stay in order.
        self._queues[hash(group_key) % len(self._queues)].put_nowait(batch)

    async def _work(self, queue: asyncio.Queue) -> None:
        while True:
            batch = await queue.get()
            if batch is None:
                return
            try:
                await self._send(batch)
            except Exception:  # noqa: BLE001 - a worker must survive anything
                log.exception("producer: unexpected failure sending a batch to %s", batch.stream)
            finally:
                self._pending.discard(batch)
                batch.done.set()
                self._room.set()

    async def _send(self, batch: _Batch) -> None:
        payloads = [i.payload for i in batch.items]
        attempt = 0
        try:
            wire = build_batch([i.record for i in batch.items], self._compression, self._level)
            while True:
                try:
                    ids = await self._client._append_batch(batch.stream, batch.key or "", wire, retry=False)
                    break
                except InletError as e:
                    if not e.retriable or attempt >= self._retry_count:
                        raise
                    delay = min(0.1 * (2**attempt), self._retry_max_delay)
                    attempt += 1
                    log.debug("producer: append to %s failed (%s); retry %d in %.2fs", batch.stream, e, attempt, delay)
                    await asyncio.sleep(delay)
        except Exception as e:  # noqa: BLE001 - reported to the futures and the callback
            self._fail(batch, e)
            await self._notify("on_fail", batch.stream, payloads, batch.key, e)
            return
        if len(ids) != len(batch.items):
            error = InletError("the server returned %d record ids for %d records" % (len(ids), len(batch.items)))
            self._fail(batch, error)
            await self._notify("on_fail", batch.stream, payloads, batch.key, error)
            return
        for item, record_id in zip(batch.items, ids):
            if not item.future.done():
                item.future.set_result(record_id)
        await self._notify("on_success", batch.stream, payloads, batch.key)

    @staticmethod
    def _fail(batch: _Batch, error: BaseException) -> None:
        for item in batch.items:
            if not item.future.done():
                item.future.set_exception(error)
                item.future.exception()  # reported through the callback too: never "unretrieved"

    async def _notify(self, method: str, *args) -> None:
        if self._callback is None:
            return
        try:
            result = getattr(self._callback, method)(*args)
            if inspect.isawaitable(result):
                await result
        except Exception:  # noqa: BLE001 - a callback's failure must not stop the producer
            log.exception("producer: append_callback.%s raised", method)

