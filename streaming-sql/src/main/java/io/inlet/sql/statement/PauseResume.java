package io.inlet.sql.statement;

/** {@code PAUSE|RESUME QUERY|CONNECTOR name}. */
public record PauseResume(ObjectKind kind, String name, boolean pause) implements SqlStatement {}
