package io.inlet.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.inlet.cluster.metadata.MetadataFormatException;
import io.inlet.store.ReaderInfo;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ReaderCodecTest {
  private static final ReaderInfo READER =
      new ReaderInfo("r-1", "readings", 7, 3, 250, Instant.ofEpochMilli(1_790_000_000_123L))
          .movedTo(9, 4);

  @Test
  void a_reader_reads_back_with_where_it_reads_next() {
    assertThat(ReaderCodec.decode(ReaderCodec.encode(READER))).isEqualTo(READER);
  }

  @Test
  void truncated_longer_or_unknown_bytes_are_a_format_error() {
    byte[] bytes = ReaderCodec.encode(READER);

    assertThatThrownBy(() -> ReaderCodec.decode(Arrays.copyOf(bytes, bytes.length - 2)))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("truncated");
    assertThatThrownBy(() -> ReaderCodec.decode(Arrays.copyOf(bytes, bytes.length + 1)))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("trailing bytes");
    bytes[0] = 2;
    assertThatThrownBy(() -> ReaderCodec.decode(bytes))
        .isInstanceOf(MetadataFormatException.class)
        .hasMessageContaining("format 2");
  }
}
