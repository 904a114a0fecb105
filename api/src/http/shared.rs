//! What instances share through Redis when `MOSAIC_REDIS_URL` is set:
//! - each caller's rate-limit bucket, so that a caller has one budget however many instances
//!   a load balancer spreads it over;
//! - the automatic persisted queries clients register, so that a hash registered on one
//!   instance runs on all of them without a database read or write.
//!
//! Redis is a help, never a dependency: a call that fails or takes longer than `WAIT` leaves
//! the answer to the instance (its own bucket, the database's documents), and for `REST`
//! after a failure requests do not wait for Redis at all.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;
use redis::{Client, FromRedisValue, ScriptInvocation};

/// The longest a request waits for Redis before deciding alone.
const WAIT: Duration = Duration::from_millis(250);

/// How long after a failure requests decide alone before trying Redis again.
const REST: Duration = Duration::from_secs(5);

/// A connection to Redis, shared by every request of the instance.
#[derive(Clone)]
pub struct Redis {
    connection: ConnectionManager,
    /// Keys start with it, so that Mosaic's keys stand apart from anything else kept there.
    prefix: String,
    /// Until when Redis is left alone after a failure; one for all that the instance keeps
    /// there, since a Redis that failed one call is likely to fail the next.
    resting: Arc<Mutex<Option<Instant>>>,
}

impl Redis {
    /// Connects to the Redis at `url`; fails when it cannot be reached, so that a mistyped
    /// address stops the start rather than silently splitting the budgets. `scope` names the
    /// deployment (its database schema), so that two deployments on one Redis keep apart.
    pub async fn connect(url: &str, scope: &str) -> anyhow::Result<Self> {
        let unreachable = |why: String| anyhow::anyhow!("MOSAIC_REDIS_URL: {why}");
        let client = Client::open(url).map_err(|e| unreachable(e.to_string()))?;
        let connection = tokio::time::timeout(WAIT * 20, client.get_connection_manager())
            .await
            .map_err(|_| unreachable("Redis did not answer".into()))?
            .map_err(|e| unreachable(format!("cannot connect: {e}")))?;
        Ok(Self {
            connection,
            prefix: format!("mosaic:{scope}:"),
            resting: Arc::default(),
        })
    }

    /// The key `name` of this deployment.
    fn key(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }

    /// Runs a script; `None` when Redis is resting or fails to answer within `WAIT`, which
    /// starts a rest.
    async fn run<T: FromRedisValue>(&self, invocation: &ScriptInvocation<'_>) -> Option<T> {
        let resting = self
            .resting
            .lock()
            .is_ok_and(|until| until.is_some_and(|t| Instant::now() < t));
        if resting {
            return None;
        }
        let mut connection = self.connection.clone();
        let answer = tokio::time::timeout(WAIT, invocation.invoke_async::<T>(&mut connection))
            .await
            .map_err(|_| format!("no answer within {WAIT:?}"))
            .and_then(|answer| answer.map_err(|e| e.to_string()));
        match answer {
            Ok(value) => Some(value),
            Err(error) => {
                tracing::warn!(%error, "Redis failed; instances decide alone for {REST:?}");
                if let Ok(mut until) = self.resting.lock() {
                    *until = Some(Instant::now() + REST);
                }
                None
            }
        }
    }
}

/// Rate-limit buckets in Redis: the generic cell rate algorithm, as `governor` runs it in
/// memory, kept as each bucket's theoretical arrival time and updated atomically by a script.
pub struct SharedBuckets {
    redis: Redis,
    /// Milliseconds between two requests at the sustained rate.
    interval_ms: u64,
    /// How far ahead of now a bucket may run: the burst beyond the first request.
    tolerance_ms: u64,
    script: redis::Script,
}

/// KEYS[1] the bucket; ARGV[1] the interval and ARGV[2] the tolerance, in milliseconds.
/// Answers 0 when the request may go, else the milliseconds to wait. Redis's own clock is
/// used, so instances whose clocks differ still share one bucket fairly.
const GCRA: &str = r"
local now = redis.call('TIME')
local now_ms = tonumber(now[1]) * 1000 + math.floor(tonumber(now[2]) / 1000)
local interval = tonumber(ARGV[1])
local tolerance = tonumber(ARGV[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now_ms)
if tat < now_ms then tat = now_ms end
local allowed_at = tat - tolerance
if now_ms < allowed_at then return allowed_at - now_ms end
local next_tat = tat + interval
redis.call('SET', KEYS[1], next_tat, 'PX', next_tat - now_ms)
return 0
";

impl SharedBuckets {
    /// Buckets of `per_minute` requests, `burst` of which may come at once.
    pub fn new(redis: &Redis, per_minute: u32, burst: u32) -> Self {
        // At least a millisecond: a rate above 60 000 a minute is as good as none.
        let interval_ms = (60_000 / u64::from(per_minute.max(1))).max(1);
        Self {
            redis: redis.clone(),
            interval_ms,
            tolerance_ms: interval_ms * u64::from(burst.saturating_sub(1)),
            script: redis::Script::new(GCRA),
        }
    }

    /// The shared verdict for `key` (`Err` with how long to wait), or `None` when Redis
    /// cannot give one now and the instance must decide alone.
    pub async fn check(&self, key: &str) -> Option<Result<(), Duration>> {
        let mut invocation = self.script.key(self.redis.key(&format!("rate:{key}")));
        invocation.arg(self.interval_ms).arg(self.tolerance_ms);
        match self.redis.run::<u64>(&invocation).await? {
            0 => Some(Ok(())),
            wait_ms => Some(Err(Duration::from_millis(wait_ms))),
        }
    }
}

/// Automatic persisted queries in Redis: the texts in one hash, their order of arrival in a
/// sorted set, so that the oldest go first beyond the bound, as in the database.
pub struct SharedDocuments {
    redis: Redis,
    bound: u64,
    keep: redis::Script,
    find: redis::Script,
}

/// KEYS[1] the texts, KEYS[2] their order; ARGV[1] the hash, ARGV[2] the text, ARGV[3] the
/// bound. A text already kept keeps its place; the bound is kept on the texts themselves, a
/// thousand at a time (Lua's `unpack` takes only so many).
const KEEP: &str = r"
if redis.call('HSETNX', KEYS[1], ARGV[1], ARGV[2]) == 1 then
  local now = redis.call('TIME')
  redis.call('ZADD', KEYS[2], tonumber(now[1]) * 1000000 + tonumber(now[2]), ARGV[1])
end
local over = redis.call('HLEN', KEYS[1]) - tonumber(ARGV[3])
while over > 0 do
  local oldest = redis.call('ZRANGE', KEYS[2], 0, math.min(over, 1000) - 1)
  if #oldest == 0 then break end
  redis.call('HDEL', KEYS[1], unpack(oldest))
  redis.call('ZREM', KEYS[2], unpack(oldest))
  over = over - #oldest
end
return 1
";

/// KEYS[1] the texts; ARGV[1] the hash. Answers the text, or nil.
const FIND: &str = "return redis.call('HGET', KEYS[1], ARGV[1])";

impl SharedDocuments {
    /// At most `bound` documents, the oldest dropped first.
    pub fn new(redis: &Redis, bound: u64) -> Self {
        Self {
            redis: redis.clone(),
            bound,
            keep: redis::Script::new(KEEP),
            find: redis::Script::new(FIND),
        }
    }

    /// The text kept under `hash`: `Some(None)` when Redis holds none, `None` when Redis
    /// cannot answer now.
    pub async fn find(&self, hash: &str) -> Option<Option<String>> {
        let mut invocation = self.find.key(self.redis.key("{documents}"));
        invocation.arg(hash);
        self.redis.run(&invocation).await
    }

    /// Keeps `text` under `hash`; `false` when Redis cannot take it now.
    pub async fn keep(&self, hash: &str, text: &str) -> bool {
        // One hash tag: the two keys live on one node of a Redis Cluster.
        let mut invocation = self.keep.key(self.redis.key("{documents}"));
        invocation
            .key(self.redis.key("{documents}:order"))
            .arg(hash)
            .arg(text)
            .arg(self.bound);
        self.redis.run::<i64>(&invocation).await.is_some()
    }
}
