package io.inlet.api.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

class RecordAttributesTest {

  @Test
  void keeps_the_first_value_of_a_name_and_every_name_in_order() {
    RecordAttributes attributes = new RecordAttributes(1);
    TreeMap<String, String> expected = new TreeMap<>();
    for (int i = 0; i < 100; i++) {
      String name = "n" + (i * 37 % 100);
      assertThat(attributes.putIfAbsent(name, "v" + i))
          .isEqualTo(expected.putIfAbsent(name, "v" + i) == null);
    }
    assertThat(attributes.putIfAbsent("n5", "again")).isFalse();
    assertThat(attributes.size()).isEqualTo(expected.size());
    assertThat(attributes.asMap()).containsExactlyEntriesOf(expected);
    assertThat(attributes.get("n5")).isEqualTo(expected.get("n5"));
    assertThat(attributes.get("missing")).isNull();
    List<String> names = new ArrayList<>();
    for (int i = 0; i < attributes.size(); i++) {
      names.add(attributes.name(i));
      assertThat(attributes.value(i)).isEqualTo(expected.get(attributes.name(i)));
    }
    assertThat(names).isSorted();
  }

  @Test
  void refuses_nulls() {
    RecordAttributes attributes = new RecordAttributes(2);
    assertThatThrownBy(() -> attributes.putIfAbsent(null, "v"))
        .isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> attributes.putIfAbsent("n", null))
        .isInstanceOf(NullPointerException.class);
  }
}
