package io.inlet.cluster.metadata;

/**
 * A write named a version a key did not have; nothing of the write was applied.
 *
 * @see MetadataWrite
 */
public class VersionConflictException extends MetadataException {
  private final String namespace;
  private final String key;
  private final long expectedVersion;
  private final long actualVersion;

  public VersionConflictException(
      String namespace, String key, long expectedVersion, long actualVersion) {
    super(
        "key '"
            + key
            + "' of namespace '"
            + namespace
            + "' has "
            + describe(actualVersion)
            + ", the write expected "
            + describe(expectedVersion));
    this.namespace = namespace;
    this.key = key;
    this.expectedVersion = expectedVersion;
    this.actualVersion = actualVersion;
  }

  private static String describe(long version) {
    return version == MetadataWrite.ABSENT ? "no value" : "version " + version;
  }

  public String namespace() {
    return namespace;
  }

  public String key() {
    return key;
  }

  public long expectedVersion() {
    return expectedVersion;
  }

  /** The key's version when the write was applied, {@link MetadataWrite#ABSENT} if it had none. */
  public long actualVersion() {
    return actualVersion;
  }
}
