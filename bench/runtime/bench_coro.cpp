// The C++20 peer of bench_runtime's `yield`: two coroutines alternating
// `co_await yield{}` through a FIFO ready queue of coroutine handles, driven
// by a loop like libcawait's. Prints "cxx_yield <ns per switch>".
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <ctime>

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

struct task {
    struct promise_type {
        task get_return_object() { return task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_always initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_void() {}
        void unhandled_exception() { std::abort(); }
    };
    std::coroutine_handle<promise_type> h;
};

struct yield {
    bool await_ready() const noexcept { return false; }
    void await_suspend(std::coroutine_handle<> h) const noexcept { ready.push(h); }
    void await_resume() const noexcept {}
};

task worker(long n)
{
    for (long i = 0; i < n; i++)
        co_await yield{};
}

double now_ns()
{
    timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

} // namespace

int main(int argc, char **argv)
{
    long n = argc > 1 ? std::atol(argv[1]) : 10000000;
    task a = worker(n), b = worker(n);
    ready.push(a.h);
    ready.push(b.h);
    double t0 = now_ns();
    while (!ready.empty()) {
        std::coroutine_handle<> h = ready.pop();
        h.resume();
    }
    double dt = now_ns() - t0;
    a.h.destroy();
    b.h.destroy();
    std::printf("cxx_yield %.2f\n", dt / (2.0 * n));
    return 0;
}
