package io.inlet.store;

import java.util.List;
import java.util.Optional;

/** Shard readers' settings. Every mutation is durable when it returns. */
public interface ReaderCatalog {

  /**
   * @throws io.inlet.api.error.InletException ShardReaderInvalidObjectIdentifier when it exists
   */
  ReaderInfo create(ReaderInfo reader);

  Optional<ReaderInfo> get(String readerId);

  List<ReaderInfo> list();

  boolean delete(String readerId);
}
