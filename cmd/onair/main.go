// Command onair schedules radio shows and publishes their podcasts.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/onair-radio/onair/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	go func() {
		// The first signal asks for an orderly stop; once it is asked,
		// a second one has its default effect and ends the process at once.
		<-ctx.Done()
		stop()
	}()
	hangup := make(chan os.Signal, 1)
	signal.Notify(hangup, syscall.SIGHUP)
	code := cli.Run(ctx, os.Args[1:], cli.Env{Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Now: time.Now, Hangup: hangup})
	stop()
	os.Exit(code)
}
