package io.inlet.sql.statement;

/** {@code SELECT ... EMIT CHANGES}: results stream to the client until it cancels. */
public record PushSelect(SelectQuery query) implements SqlStatement {}
