package io.inlet.bridge.config;

/**
 * One key of an entry of the {@code rules:} or {@code bridges:} section, defined once: the codec
 * checks keys against these and the docs' tables are generated from them.
 *
 * @param key the key as written in the file
 * @param type what it takes, for the docs
 * @param defaultText the default as the docs show it
 * @param description one sentence for the docs
 */
public record ConfigField(String key, String type, String defaultText, String description) {}
