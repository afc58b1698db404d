// The C++20 peers of bench_runtime, on a scheduler shaped like libcawait's
// (a FIFO ready queue of coroutine handles driven by a loop):
//
//   bench_coro yield N    two coroutines alternating `co_await yield{}`: ns per switch
//   bench_coro spawn N    create a task coroutine, run it to its end, destroy it: ns each
//   bench_coro memory N   N tasks asleep two awaits deep (sleeper -> nap -> a sleep
//                         queue of handles): RSS bytes per task
//
// Each mode prints one line "key value" for run.sh.
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <unistd.h>
#include <vector>

namespace {

// A ring buffer of ready coroutines (the scheduler's run queue).
struct ready_queue {
    std::coroutine_handle<> v[16];
    unsigned head = 0, tail = 0;
    bool empty() const { return head == tail; }
    void push(std::coroutine_handle<> h) { v[tail++ % 16] = h; }
    std::coroutine_handle<> pop() { return v[head++ % 16]; }
};
ready_queue ready;

// A lazily started coroutine that resumes its awaiter when it ends (symmetric transfer).
struct task {
    struct promise_type {
        std::coroutine_handle<> continuation = std::noop_coroutine();
        task get_return_object() { return task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_always initial_suspend() noexcept { return {}; }
        struct final_awaiter {
            bool await_ready() noexcept { return false; }
            std::coroutine_handle<> await_suspend(std::coroutine_handle<promise_type> h) noexcept
            {
                return h.promise().continuation;
            }
            void await_resume() noexcept {}
        };
        final_awaiter final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() { std::abort(); }
    };
    std::coroutine_handle<promise_type> h;
    bool await_ready() const noexcept { return false; }
    std::coroutine_handle<> await_suspend(std::coroutine_handle<> awaiter) noexcept
    {
        h.promise().continuation = awaiter;
        return h;
    }
    void await_resume() const noexcept {}
};

struct yield {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) const noexcept { ready.push(h); }
    void await_resume() const noexcept {}
};

double now_ns()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

task worker(long n)
{
    for (long i = 0; i < n; i++)
        co_await yield{};
}

double bench_yield(long n)
{
    task a = worker(n), b = worker(n);
    ready.push(a.h);
    ready.push(b.h);
    double t0 = now_ns();
    while (!ready.empty())
        ready.pop().resume();
    double dt = now_ns() - t0;
    a.h.destroy();
    b.h.destroy();
    return dt / (2.0 * n);
}

long counter;
task empty() { counter++; co_return; }

double bench_spawn(long n)
{
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        task t = empty();
        t.h.resume();
        t.h.destroy();
    }
    if (counter != n)
        std::abort();
    return (now_ns() - t0) / n;
}

// Sleeping coroutines wait in a vector of handles (an 8-byte timer entry).
std::vector<std::coroutine_handle<>> sleeping;
struct sleep_forever {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) { sleeping.push_back(h); }
    void await_resume() const noexcept {}
};
task nap() { co_await sleep_forever{}; }
task sleeper() { co_await nap(); }

long rss_bytes()
{
    long size, res;
    FILE *f = std::fopen("/proc/self/statm", "r");
    if (!f || std::fscanf(f, "%ld %ld", &size, &res) != 2)
        std::abort();
    std::fclose(f);
    return res * sysconf(_SC_PAGESIZE);
}

double bench_memory(long n)
{
    sleeping.reserve(n); // its pages count once touched, as libcawait's timer heap does
    long before = rss_bytes();
    for (long i = 0; i < n; i++)
        sleeper().h.resume(); // detached: nothing keeps the handle but the sleep queue
    if ((long)sleeping.size() != n)
        std::abort();
    return (double)(rss_bytes() - before) / n;
}

} // namespace

int main(int argc, char **argv)
{
    if (argc < 3) {
        std::fprintf(stderr, "usage: %s yield|spawn|memory N\n", argv[0]);
        return 2;
    }
    long n = std::atol(argv[2]);
    double v;
    if (!std::strcmp(argv[1], "yield"))
        v = bench_yield(n);
    else if (!std::strcmp(argv[1], "spawn"))
        v = bench_spawn(n);
    else if (!std::strcmp(argv[1], "memory"))
        v = bench_memory(n);
    else
        return 2;
    std::printf("%s %.2f\n", argv[1], v);
    return 0;
}
