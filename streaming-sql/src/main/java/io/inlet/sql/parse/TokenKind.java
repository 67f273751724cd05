package io.inlet.sql.parse;

/** The kinds of tokens HStreamDB's SQL is made of. */
enum TokenKind {
  /** An unquoted word: a keyword or an identifier, decided by where it stands. */
  WORD,
  /** A {@code "double quoted"} identifier. */
  QUOTED_IDENT,
  /** A {@code 'single quoted'} string. */
  STRING,
  INTEGER,
  DECIMAL,
  SYMBOL,
  END
}
