package io.inlet.store.internal;

import java.util.function.BiConsumer;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.WriteBatch;

/** Reads and durable writes of the {@code meta} column family. */
final class MetaStore {
  private final StoreDatabase database;

  MetaStore(StoreDatabase database) {
    this.database = database;
  }

  /** The value, or null when absent. */
  byte[] get(byte[] key) {
    try {
      return database.db().get(database.meta(), key);
    } catch (RocksDBException e) {
      throw StoreErrors.readFailed(database.dir(), "read metadata", e);
    }
  }

  /** Visits every entry whose key starts with {@code prefix}, in key order. */
  void forEach(byte[] prefix, BiConsumer<byte[], byte[]> visitor) {
    try (RocksIterator it = database.db().newIterator(database.meta())) {
      for (it.seek(prefix); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (!Bytes.startsWith(key, prefix)) {
          break;
        }
        visitor.accept(key, it.value());
      }
      it.status();
    } catch (RocksDBException e) {
      throw StoreErrors.readFailed(database.dir(), "read metadata", e);
    }
  }

  /**
   * Applies the batch atomically and returns once it is fsync'd.
   *
   * @param what what the write does, for the error message ("create stream \"orders\"")
   */
  void write(WriteBatch batch, String what) {
    try {
      database.db().write(database.syncWrite(), batch);
    } catch (RocksDBException e) {
      throw database.writeFailed(what, e);
    }
  }

  void put(byte[] key, byte[] value, String what) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.put(database.meta(), key, value);
      write(batch, what);
    } catch (RocksDBException e) {
      throw StoreErrors.writeFailed(database.dir(), what, e);
    }
  }

  void delete(byte[] key, String what) {
    try (WriteBatch batch = new WriteBatch()) {
      batch.delete(database.meta(), key);
      write(batch, what);
    } catch (RocksDBException e) {
      throw StoreErrors.writeFailed(database.dir(), what, e);
    }
  }

  StoreDatabase database() {
    return database;
  }
}
