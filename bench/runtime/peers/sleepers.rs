// The Rust peer of bench_runtime's `memory`: N futures asleep two awaits deep
// (sleeper -> nap -> a sleep future that parks its waker in a sleep list, as
// a timer would), boxed and kept by a minimal executor, as a runtime holds
// spawned tasks. std only: no runtime's task header, no timer key.
// Prints "memory <RSS bytes per task>".
use std::cell::RefCell;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};

thread_local! {
    static SLEEPING: RefCell<Vec<Waker>> = RefCell::new(Vec::new());
}

struct Sleep;
impl Future for Sleep {
    type Output = ();
    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        SLEEPING.with(|s| s.borrow_mut().push(cx.waker().clone()));
        Poll::Pending // asleep for good: nothing ever wakes it
    }
}

async fn nap() {
    Sleep.await
}

async fn sleeper() {
    nap().await
}

struct Noop;
impl Wake for Noop {
    fn wake(self: Arc<Self>) {}
}

fn rss_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").unwrap();
    let pages: usize = statm.split_whitespace().nth(1).unwrap().parse().unwrap();
    pages * 4096
}

fn main() {
    let n: usize = std::env::args().nth(2).and_then(|s| s.parse().ok()).unwrap_or(1_000_000);
    let waker = Waker::from(Arc::new(Noop));
    let mut cx = Context::from_waker(&waker);
    SLEEPING.with(|s| s.borrow_mut().reserve(n)); // its pages count once touched, as libcawait's heap does
    let before = rss_bytes();
    let mut tasks: Vec<Pin<Box<dyn Future<Output = ()>>>> = Vec::new();
    for _ in 0..n {
        let mut t: Pin<Box<dyn Future<Output = ()>>> = Box::pin(sleeper());
        assert!(t.as_mut().poll(&mut cx).is_pending());
        tasks.push(t);
    }
    println!("memory {:.2}", (rss_bytes() - before) as f64 / n as f64);
}
