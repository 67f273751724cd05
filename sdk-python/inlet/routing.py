"""Which shard a record key belongs to.

A key's place in the 128-bit key space is the MD5 of its UTF-8 bytes read as an
unsigned big-endian integer; a record without a key carries the empty key and
hashes "" (as every HStreamDB client does). Each shard owns an inclusive range
of that space.
"""

import bisect
import hashlib
from typing import Iterable, List

from inlet.errors import InletError
from inlet.types import Shard

KEY_SPACE = 1 << 128


def key_hash(key: str) -> int:
    """The key's position in the 128-bit key space."""
    return int.from_bytes(hashlib.md5(key.encode("utf-8")).digest(), "big")


class ShardMap:
    """The active shards of one stream, searchable by key."""

    def __init__(self, stream_name: str, shards: Iterable[Shard]):
        self.stream_name = stream_name
        self.shards: List[Shard] = sorted((s for s in shards if s.is_active), key=lambda s: s.start_hash_key)
        self._starts = [s.start_hash_key for s in self.shards]

    def shard_for(self, key: str) -> Shard:
        """The shard owning ``key``.

        :raises InletError: when no shard's range holds the key's hash (the stream's shards
            do not cover the key space)
        """
        h = key_hash(key)
        i = bisect.bisect_right(self._starts, h) - 1
        if i >= 0:
            shard = self.shards[i]
            if shard.start_hash_key <= h <= shard.end_hash_key:
                return shard
        raise InletError("no shard of stream %r holds key %r (hash %d)" % (self.stream_name, key, h))
