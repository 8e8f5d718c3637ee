// Command startcost runs a command many times and prints the median (and
// 90th percentile) of its wall-clock times: what a command costs to
// start, beside a Go "hello, world" run the same way
// (scripts/footprint.sh). Output goes to /dev/null. (Peak RSS is GNU
// time's to measure: a child that Go starts shares its parent's memory
// until exec, and the kernel counts that in the child's maximum.)
//
//	go run ./scripts/startcost [-n 200] name -- command [args...]
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"slices"
	"time"
)

func main() {
	n := flag.Int("n", 200, "runs")
	flag.Parse()
	args := flag.Args()
	if len(args) < 3 || args[1] != "--" {
		fmt.Fprintln(os.Stderr, "usage: startcost [-n runs] name -- command [args...]")
		os.Exit(2)
	}
	name, argv := args[0], args[2:]
	walls := make([]time.Duration, 0, *n)
	for range *n {
		cmd := exec.Command(argv[0], argv[1:]...)
		start := time.Now()
		if err := cmd.Run(); err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", name, err)
			os.Exit(1)
		}
		walls = append(walls, time.Since(start))
	}
	slices.Sort(walls)
	fmt.Printf("%-20s median %6.2f ms  p90 %6.2f ms  (%d runs)\n", name,
		float64(walls[len(walls)/2].Microseconds())/1000, float64(walls[len(walls)*9/10].Microseconds())/1000, len(walls))
}
