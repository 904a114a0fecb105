//! Deterministic DataLoader batching.
//!
//! async-graphql starts a loader's batch a fixed delay after the first key arrives. Whether
//! every sibling's key has arrived by then depends on how fast the resolvers ran, so a page of
//! 100 rows sometimes cost more statements than a page of 5. Here a request's batches are held
//! back until the request itself cannot make progress without them: every key of a level is
//! then in one batch, and the statements a query costs depend on its shape alone.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::task::{Context, Poll, Wake, Waker};

use futures_util::future::BoxFuture;
use futures_util::stream::{FuturesUnordered, StreamExt};

/// Batches a request's loaders asked for, not yet started.
#[derive(Clone, Default)]
pub struct BatchQueue(Arc<Mutex<Vec<BoxFuture<'static, ()>>>>);

impl BatchQueue {
    /// The spawner to give `DataLoader::new`: it queues instead of spawning.
    pub fn spawner(&self) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
        let queue = self.0.clone();
        move |batch| {
            if let Ok(mut queued) = queue.lock() {
                queued.push(batch);
            }
        }
    }

    fn take(&self) -> Vec<BoxFuture<'static, ()>> {
        self.0
            .lock()
            .map(|mut q| std::mem::take(&mut *q))
            .unwrap_or_default()
    }
}

/// Remembers whether the request asked to be polled again while it was being polled (a
/// cooperative yield) and passes every wake on to the task.
struct WakeFlag {
    woken: AtomicBool,
    task: Waker,
}

impl Wake for WakeFlag {
    fn wake(self: Arc<Self>) {
        self.wake_by_ref();
    }

    fn wake_by_ref(self: &Arc<Self>) {
        self.woken.store(true, Ordering::SeqCst);
        self.task.wake_by_ref();
    }
}

/// Runs `request`, starting queued batches only when the request is waiting for them.
pub async fn run<T>(request: impl Future<Output = T> + Send, queue: BatchQueue) -> T {
    Driver {
        request: Box::pin(request),
        queue,
        running: FuturesUnordered::new(),
        flag: None,
    }
    .await
}

struct Driver<'a, T> {
    request: Pin<Box<dyn Future<Output = T> + Send + 'a>>,
    queue: BatchQueue,
    running: FuturesUnordered<BoxFuture<'static, ()>>,
    flag: Option<Arc<WakeFlag>>,
}

impl<T> Future for Driver<'_, T> {
    type Output = T;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let this = &mut *self;
        loop {
            let woken_since_last_poll = this
                .flag
                .as_ref()
                .is_none_or(|flag| flag.woken.load(Ordering::SeqCst));
            if woken_since_last_poll {
                let flag = Arc::new(WakeFlag {
                    woken: AtomicBool::new(false),
                    task: cx.waker().clone(),
                });
                let waker = Waker::from(flag.clone());
                this.flag = Some(flag.clone());
                if let Poll::Ready(out) =
                    this.request.as_mut().poll(&mut Context::from_waker(&waker))
                {
                    return Poll::Ready(out);
                }
                if flag.woken.load(Ordering::SeqCst) {
                    // The request yielded to be fair, not to wait. It is already scheduled
                    // again; returning lets the runtime renew its budget. Batches stay queued.
                    return Poll::Pending;
                }
            }
            // The request waits: start what it asked for and drive the running batches.
            this.running.extend(this.queue.take());
            while let Poll::Ready(Some(())) = this.running.poll_next_unpin(cx) {}
            let request_woken = this
                .flag
                .as_ref()
                .is_some_and(|flag| flag.woken.load(Ordering::SeqCst));
            if !request_woken {
                return Poll::Pending;
            }
        }
    }
}
