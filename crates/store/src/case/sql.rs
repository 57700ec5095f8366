//! A query's text and its bound values, written for the connection's engine: the case list's
//! queries are assembled from parts, which Diesel's typed builder cannot express on both engines.
//!
//! Values are bound, never written into the text, so that one text serves every unit, person,
//! day and cursor. Diesel then keeps the statement prepared by its text (SQLite does not prepare
//! it again, PostgreSQL may keep one plan), which a `sql_query` never is.

use crate::{DbConnection, StoreError};
use diesel::RunQueryDsl;
use diesel::backend::Backend;
use diesel::pg::Pg;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::result::QueryResult;
use diesel::serialize::ToSql;
use diesel::sql_types::{BigInt, HasSqlType, Text, Untyped};
use diesel::sqlite::Sqlite;

/// A piece of a query: its own text, or a value bound where it stands.
enum Part {
    Text(String),
    Bound(String),
    BoundNumber(i64),
}

pub(crate) struct Sql {
    pub(crate) postgres: bool,
    parts: Vec<Part>,
}

impl Sql {
    pub(crate) fn new(conn: &DbConnection) -> Sql {
        Sql {
            postgres: matches!(conn, DbConnection::Postgres(_)),
            parts: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        match self.parts.last_mut() {
            Some(Part::Text(last)) => last.push_str(text),
            _ => self.parts.push(Part::Text(text.to_owned())),
        }
        self
    }

    /// Binds `value` here: `?` on SQLite, `$n` on PostgreSQL.
    pub(crate) fn bind(&mut self, value: &str) -> &mut Self {
        self.parts.push(Part::Bound(value.to_owned()));
        self
    }

    /// Binds the number `value` here.
    pub(crate) fn bind_number(&mut self, value: i64) -> &mut Self {
        self.parts.push(Part::BoundNumber(value));
        self
    }

    /// Puts the query so far between `before` and `after`.
    pub(crate) fn enclose(&mut self, before: &str, after: &str) -> &mut Self {
        self.parts.insert(0, Part::Text(before.to_owned()));
        self.push(after)
    }

    pub(crate) fn load<R>(&self, conn: &mut DbConnection) -> Result<Vec<R>, StoreError>
    where
        R: diesel::QueryableByName<Sqlite> + diesel::QueryableByName<Pg> + 'static,
    {
        Ok(match conn {
            DbConnection::Sqlite(c) => Prepared(self).load::<R>(c)?,
            DbConnection::Postgres(c) => Prepared(self).load::<R>(c)?,
        })
    }

    pub(crate) fn execute(&self, conn: &mut DbConnection) -> Result<usize, StoreError> {
        Ok(match conn {
            DbConnection::Sqlite(c) => Prepared(self).execute(c)?,
            DbConnection::Postgres(c) => Prepared(self).execute(c)?,
        })
    }
}

/// The query as Diesel runs it. Its id is its text (no static id), and it never declares itself
/// unsafe to cache.
#[derive(Clone, Copy)]
struct Prepared<'a>(&'a Sql);

impl QueryId for Prepared<'_> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<DB> QueryFragment<DB> for Prepared<'_>
where
    DB: Backend + HasSqlType<Text> + HasSqlType<BigInt>,
    String: ToSql<Text, DB>,
    i64: ToSql<BigInt, DB>,
{
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, DB>) -> QueryResult<()> {
        for part in &self.0.parts {
            match part {
                Part::Text(text) => out.push_sql(text),
                Part::Bound(value) => out.push_bind_param::<Text, _>(value)?,
                Part::BoundNumber(value) => out.push_bind_param::<BigInt, _>(value)?,
            }
        }
        Ok(())
    }
}

impl Query for Prepared<'_> {
    type SqlType = Untyped;
}

impl<Conn> RunQueryDsl<Conn> for Prepared<'_> {}
