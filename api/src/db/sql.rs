//! SQL expressions written the same way on SQLite and PostgreSQL.

use sea_orm::DbBackend;
use sea_orm::sea_query::{Alias, Expr, Func};

/// `CAST(SUM(expr) AS BIGINT)`: PostgreSQL sums bigints as numeric; this reads back as i64 on
/// both databases.
pub fn sum(expr: Expr) -> Expr {
    Func::cast_as(Func::sum(expr), Alias::new("BIGINT")).into()
}

/// The calendar year of a date column.
pub fn year(backend: DbBackend, column: &str) -> Expr {
    match backend {
        DbBackend::Sqlite => Expr::cust(format!("CAST(strftime('%Y', {column}) AS INTEGER)")),
        _ => Expr::cust(format!("CAST(EXTRACT(YEAR FROM {column}) AS INTEGER)")),
    }
}
