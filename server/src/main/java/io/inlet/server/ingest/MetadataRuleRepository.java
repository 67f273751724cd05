package io.inlet.server.ingest;

import io.inlet.bridge.rules.RuleCodec;
import io.inlet.bridge.rules.RuleEntry;
import io.inlet.bridge.rules.RuleRepository;
import io.inlet.store.MetadataCatalog;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Runtime rules in the store's metadata, namespace {@value #NAMESPACE}, keyed by rule name. */
final class MetadataRuleRepository implements RuleRepository {
  static final String NAMESPACE = "mqtt.rules";
  private static final Logger log = LoggerFactory.getLogger(MetadataRuleRepository.class);

  private final MetadataCatalog metadata;

  MetadataRuleRepository(MetadataCatalog metadata) {
    this.metadata = metadata;
  }

  /** Every saved rule; one that no longer decodes is skipped with a warning (and kept). */
  @Override
  public List<RuleEntry> load() {
    List<RuleEntry> rules = new ArrayList<>();
    metadata
        .list(NAMESPACE)
        .forEach(
            (name, value) -> {
              try {
                rules.add(RuleCodec.decode(value));
              } catch (IllegalStateException e) {
                log.warn("runtime rule \"{}\" is ignored: {}", name, e.getMessage());
              }
            });
    return rules;
  }

  @Override
  public void save(RuleEntry entry) {
    metadata.put(NAMESPACE, entry.rule().name(), RuleCodec.encode(entry));
  }

  @Override
  public void delete(String name) {
    metadata.delete(NAMESPACE, name);
  }
}
