// chain_async.c's chain as C++20 coroutines (clang++-19 -std=c++20 -O2):
// a co_awaits b co_awaits c, each an eagerly started task that completes at
// once, so co_await finds it ready and never suspends. Built twice:
//   default        a, b, c may be inlined: clang elides the frame allocations
//   -DCHAIN_NOINLINE  a, b, c are noinline (as in the C versions): every
//                  call allocates its frame with operator new
// The "allocs" column counts operator new calls per chain, to show which.
//
// usage: chain_coro N   prints "ns_per_chain <ns> <checksum> allocs_per_chain <k>"
#include <coroutine>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <new>
#include <utility>

#ifdef CHAIN_NOINLINE
#define MAYBE_NOINLINE __attribute__((noinline))
#else
#define MAYBE_NOINLINE
#endif

static long allocs;

template <class T> struct task {
    struct promise_type {
        T value{};
        static void *operator new(std::size_t n)
        {
            allocs++;
            return ::operator new(n);
        }
        static void operator delete(void *p) { ::operator delete(p); }
        task get_return_object() { return task{std::coroutine_handle<promise_type>::from_promise(*this)}; }
        std::suspend_never initial_suspend() noexcept { return {}; }
        std::suspend_always final_suspend() noexcept { return {}; }
        void return_value(T v) { value = v; }
        void unhandled_exception() { std::abort(); }
    };
    std::coroutine_handle<promise_type> h;
    explicit task(std::coroutine_handle<promise_type> h) : h(h) {}
    task(task &&o) noexcept : h(std::exchange(o.h, {})) {}
    ~task()
    {
        if (h)
            h.destroy();
    }
    // The child ran to its end before co_await looked at it.
    bool await_ready() const noexcept { return h.done(); }
    void await_suspend(std::coroutine_handle<>) const noexcept { std::abort(); } // never reached here
    T await_resume() const noexcept { return h.promise().value; }
};

MAYBE_NOINLINE task<unsigned> c(unsigned x) { co_return x * 2654435761u + 7; }
MAYBE_NOINLINE task<unsigned> b(unsigned x) { co_return (co_await c(x) ^ (x >> 3)) + 1; }
MAYBE_NOINLINE task<unsigned> a(unsigned x) { co_return co_await b(x + 1) * 3; }

__attribute__((noinline)) task<unsigned> drive(long n)
{
    unsigned s = 0;
    for (long i = 0; i < n; i++)
        s += co_await a((unsigned)i);
    co_return s;
}

int main(int argc, char **argv)
{
    long n = argc > 1 ? std::atol(argv[1]) : 10000000;
    timespec t0, t1;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t0);
    unsigned s;
    {
        task<unsigned> t = drive(n);
        s = t.h.promise().value;
    }
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t1);
    double ns = (t1.tv_sec - t0.tv_sec) * 1e9 + (t1.tv_nsec - t0.tv_nsec);
    std::printf("ns_per_chain %.3f %u allocs_per_chain %.2f\n", ns / (double)n, s, (double)allocs / (double)n);
    return 0;
}
