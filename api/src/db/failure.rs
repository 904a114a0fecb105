//! Which database failures are the database being unavailable (down, unreachable, full,
//! read-only, locked past the wait) rather than a bug: those answer 503 with `Retry-After`,
//! the rest INTERNAL_SERVER_ERROR.

use sea_orm::{DbErr, RuntimeErr};

use crate::error::ApiError;

/// Every database error reaches the client as SERVICE_UNAVAILABLE (retry later), CONFLICT
/// (a uniqueness or reference rule broken by a concurrent write: the writes check both
/// first, so only a race gets here; read again and retry) or INTERNAL_SERVER_ERROR (the
/// detail only in the log).
impl From<DbErr> for ApiError {
    fn from(error: DbErr) -> Self {
        if is_unavailable(&error) {
            tracing::warn!(detail = ?error, "database unavailable");
            Self::Unavailable
        } else if is_race(&error) {
            tracing::info!(detail = ?error, "write lost a race");
            Self::Conflict {
                message: "a concurrent change got there first: read again and retry".into(),
                current_version: None,
            }
        } else {
            Self::internal(error)
        }
    }
}

/// A unique or foreign-key violation (SQLite extended codes 2067, 1555, 787; PostgreSQL
/// 23505, 23503), or a PostgreSQL transaction chosen to end a deadlock or a serialisation
/// failure (40P01, 40001): two writes that lock the same rows in opposite orders, such as a
/// project and the allocations its fundings draw from. Each rolls back whole.
fn is_race(error: &DbErr) -> bool {
    match error {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => {
            match &**e {
                sqlx::Error::Database(db) => db.code().is_some_and(|code| {
                    matches!(
                        &*code,
                        "2067" | "1555" | "787" | "23505" | "23503" | "40P01" | "40001"
                    )
                }),
                _ => false,
            }
        }
        _ => false,
    }
}

/// Whether `error` means "try again later" rather than "this request is wrong".
pub fn is_unavailable(error: &DbErr) -> bool {
    match error {
        DbErr::ConnectionAcquire(_) => true,
        DbErr::Conn(RuntimeErr::SqlxError(e))
        | DbErr::Exec(RuntimeErr::SqlxError(e))
        | DbErr::Query(RuntimeErr::SqlxError(e)) => sqlx_unavailable(e),
        _ => false,
    }
}

fn sqlx_unavailable(error: &sqlx::Error) -> bool {
    match error {
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::Tls(_)
        | sqlx::Error::WorkerCrashed => true,
        sqlx::Error::Database(db) => {
            let sqlite = db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some();
            db.code()
                .is_some_and(|code| unavailable_code(&code, sqlite))
        }
        _ => false,
    }
}

/// SQLite primary result codes (the low byte of an extended code) and PostgreSQL SQLSTATEs.
fn unavailable_code(code: &str, sqlite: bool) -> bool {
    if sqlite {
        // BUSY 5, LOCKED 6, READONLY 8, IOERR 10, FULL 13, CANTOPEN 14.
        return code
            .parse::<u32>()
            .is_ok_and(|n| matches!(n & 0xff, 5 | 6 | 8 | 10 | 13 | 14));
    }
    // 08 connection exception, 53 insufficient resources (disk full, out of memory),
    // 57P01–57P03 shutting down or starting, 25006 read-only transaction (a standby).
    code.starts_with("08")
        || code.starts_with("53")
        || matches!(code, "57P01" | "57P02" | "57P03" | "25006")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_and_postgresql_codes_that_mean_try_later() {
        for code in ["5", "517", "8", "13", "3338"] {
            assert!(unavailable_code(code, true), "{code}");
        }
        for code in ["08006", "53100", "57P01", "25006"] {
            assert!(unavailable_code(code, false), "{code}");
        }
        for code in ["19", "2067"] {
            assert!(!unavailable_code(code, true), "{code}");
        }
        for code in ["23505", "22P02", "42883", "40001"] {
            assert!(!unavailable_code(code, false), "{code}");
        }
    }

    #[test]
    fn a_pool_timeout_is_unavailable_and_a_missing_row_is_not() {
        assert!(is_unavailable(&DbErr::ConnectionAcquire(
            sea_orm::error::ConnAcquireErr::Timeout
        )));
        assert!(!is_unavailable(&DbErr::RecordNotFound("x".into())));
    }
}
