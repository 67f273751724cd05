package io.inlet.sql.statement;

/** One parsed statement; see the package documentation for how a query is carried. */
public sealed interface SqlStatement
    permits CreateStream,
        CreateStreamAs,
        CreateView,
        PushSelect,
        PullSelect,
        InsertValues,
        InsertSelect,
        Show,
        Drop,
        TerminateQuery,
        PauseResume,
        Explain,
        CreateConnector,
        FlinkStatement {}
