// The Go peer of bench_runtime's `memory`: N goroutines asleep two calls deep
// (sleeper -> nap -> time.Sleep). Prints "memory <RSS bytes per goroutine>".
package main

import (
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

func rssBytes() int {
	b, err := os.ReadFile("/proc/self/statm")
	if err != nil {
		panic(err)
	}
	pages, _ := strconv.Atoi(strings.Fields(string(b))[1])
	return pages * os.Getpagesize()
}

//go:noinline
func nap(started *sync.WaitGroup) {
	started.Done()
	time.Sleep(time.Hour)
}

//go:noinline
func sleeper(started *sync.WaitGroup) {
	nap(started)
}

func main() {
	n := 1000000
	if len(os.Args) > 2 {
		n, _ = strconv.Atoi(os.Args[2])
	}
	var started sync.WaitGroup
	started.Add(n)
	before := rssBytes()
	for i := 0; i < n; i++ {
		go sleeper(&started)
	}
	started.Wait()
	time.Sleep(10 * time.Millisecond) // every goroutine parked in its sleep
	fmt.Printf("memory %.2f\n", float64(rssBytes()-before)/float64(n))
}
