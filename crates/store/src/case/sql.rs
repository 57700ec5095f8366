//! A query's text and its bound values, written for the connection's engine: the case list's
//! queries are assembled from parts, which Diesel's typed builder cannot express on both engines.

use crate::{DbConnection, StoreError};
use diesel::RunQueryDsl;
use diesel::backend::Backend;
use diesel::pg::Pg;
use diesel::query_builder::{BoxedSqlQuery, SqlQuery};
use diesel::serialize::ToSql;
use diesel::sql_types::{HasSqlType, Text};
use diesel::sqlite::Sqlite;

pub(crate) struct Sql {
    pub(crate) postgres: bool,
    pub(crate) text: String,
    binds: Vec<String>,
}

impl Sql {
    pub(crate) fn new(conn: &DbConnection) -> Sql {
        Sql {
            postgres: matches!(conn, DbConnection::Postgres(_)),
            text: String::new(),
            binds: Vec::new(),
        }
    }

    pub(crate) fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`: `?` on SQLite, `$n` on PostgreSQL.
    pub(crate) fn bind(&mut self, value: &str) -> &mut Self {
        self.binds.push(value.to_owned());
        if self.postgres {
            let n = self.binds.len();
            self.text.push_str(&format!("${n}"));
        } else {
            self.text.push('?');
        }
        self
    }

    /// The query with its values bound, for the engine at hand.
    fn bound<DB>(&self) -> BoxedSqlQuery<'static, DB, SqlQuery>
    where
        DB: Backend + HasSqlType<Text>,
        String: ToSql<Text, DB>,
    {
        let mut query = diesel::sql_query(self.text.clone()).into_boxed::<DB>();
        for value in &self.binds {
            query = query.bind::<Text, _>(value.clone());
        }
        query
    }

    pub(crate) fn load<R>(&self, conn: &mut DbConnection) -> Result<Vec<R>, StoreError>
    where
        R: diesel::QueryableByName<Sqlite> + diesel::QueryableByName<Pg> + 'static,
    {
        Ok(match conn {
            DbConnection::Sqlite(c) => self.bound::<Sqlite>().load::<R>(c)?,
            DbConnection::Postgres(c) => self.bound::<Pg>().load::<R>(c)?,
        })
    }

    pub(crate) fn execute(&self, conn: &mut DbConnection) -> Result<usize, StoreError> {
        Ok(match conn {
            DbConnection::Sqlite(c) => self.bound::<Sqlite>().execute(c)?,
            DbConnection::Postgres(c) => self.bound::<Pg>().execute(c)?,
        })
    }
}
