package io.inlet.cluster.metadata;

import java.util.Arrays;

/**
 * A value of the replicated metadata and its version: the Raft log index of the write that set it.
 * Versions of one key only grow; a key that does not exist has version {@link
 * MetadataWrite#ABSENT}.
 */
public record MetadataEntry(byte[] value, long version) {

  public MetadataEntry {
    value = value.clone();
    if (version <= 0) {
      throw new IllegalArgumentException("a stored version is > 0, got " + version);
    }
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof MetadataEntry e
        && e.version == version
        && Arrays.equals(e.value, value);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(value) + Long.hashCode(version);
  }

  @Override
  public String toString() {
    return "MetadataEntry[" + value.length + " bytes, version " + version + "]";
  }
}
