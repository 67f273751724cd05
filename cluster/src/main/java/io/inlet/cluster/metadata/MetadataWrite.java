package io.inlet.cluster.metadata;

import java.util.ArrayList;
import java.util.List;

/**
 * One atomic write to one namespace: puts and deletes that are applied together or not at all. Each
 * operation may name the version its key must have ({@link #ABSENT} for "does not exist"); if any
 * key has another version, nothing is applied and the write fails with {@link
 * VersionConflictException}. That makes "create if absent" and compare-and-set one command.
 *
 * @param namespace 1 to 255 characters, no NUL
 * @param operations at least one; a key appears at most once
 */
public record MetadataWrite(String namespace, List<Operation> operations) {

  /** Expected version meaning "the key does not exist". */
  public static final long ABSENT = 0;

  /** Expected version meaning "whatever the key holds". */
  public static final long ANY = -1;

  public MetadataWrite {
    checkNamespace(namespace);
    operations = List.copyOf(operations);
    if (operations.isEmpty()) {
      throw new IllegalArgumentException("a write needs at least one operation");
    }
    if (operations.stream().map(Operation::key).distinct().count() != operations.size()) {
      throw new IllegalArgumentException("a key appears twice in one write");
    }
  }

  /** Sets {@code key} whatever it held. */
  public static MetadataWrite put(String namespace, String key, byte[] value) {
    return new MetadataWrite(namespace, List.of(new Put(key, value, ANY)));
  }

  /** Sets {@code key} only if it does not exist. */
  public static MetadataWrite create(String namespace, String key, byte[] value) {
    return new MetadataWrite(namespace, List.of(new Put(key, value, ABSENT)));
  }

  /** Deletes {@code key} whatever it held (a missing key is not an error). */
  public static MetadataWrite delete(String namespace, String key) {
    return new MetadataWrite(namespace, List.of(new Delete(key, ANY)));
  }

  /** Starts a write of several operations. */
  public static Builder in(String namespace) {
    return new Builder(namespace);
  }

  static void checkNamespace(String namespace) {
    if (namespace == null
        || namespace.isEmpty()
        || namespace.length() > 255
        || namespace.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "a namespace is 1 to 255 characters without NUL, got '" + namespace + "'");
    }
  }

  static void checkKey(String key) {
    if (key == null || key.isEmpty() || key.length() > 1024) {
      throw new IllegalArgumentException("a key is 1 to 1024 characters, got '" + key + "'");
    }
  }

  private static void checkExpected(long expectedVersion) {
    if (expectedVersion < ANY) {
      throw new IllegalArgumentException(
          "expected version is ANY (-1), ABSENT (0) or a version, got " + expectedVersion);
    }
  }

  /** An operation on one key. */
  public sealed interface Operation permits Put, Delete {
    String key();

    /** {@link #ANY}, {@link #ABSENT} or the version the key must have. */
    long expectedVersion();
  }

  /** Sets a key. */
  public record Put(String key, byte[] value, long expectedVersion) implements Operation {
    public Put {
      checkKey(key);
      checkExpected(expectedVersion);
      value = value.clone();
    }

    @Override
    public byte[] value() {
      return value.clone();
    }
  }

  /** Removes a key. */
  public record Delete(String key, long expectedVersion) implements Operation {
    public Delete {
      checkKey(key);
      checkExpected(expectedVersion);
    }
  }

  /** Collects the operations of one write. */
  public static final class Builder {
    private final String namespace;
    private final List<Operation> operations = new ArrayList<>();

    private Builder(String namespace) {
      this.namespace = namespace;
    }

    public Builder put(String key, byte[] value) {
      return put(key, value, ANY);
    }

    public Builder put(String key, byte[] value, long expectedVersion) {
      operations.add(new Put(key, value, expectedVersion));
      return this;
    }

    public Builder delete(String key) {
      return delete(key, ANY);
    }

    public Builder delete(String key, long expectedVersion) {
      operations.add(new Delete(key, expectedVersion));
      return this;
    }

    public MetadataWrite build() {
      return new MetadataWrite(namespace, operations);
    }
  }
}
