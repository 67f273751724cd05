package io.inlet.server.config;

/**
 * One key of a structured section of the config file (an entry of {@code rules:} or {@code
 * bridges:}), defined once: the parser checks keys against these and the docs' tables are generated
 * from them.
 */
record SectionField(String key, String type, String defaultText, String description) {}
