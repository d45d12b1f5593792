package datastore_test

import (
	"context"
	"fmt"
	"log"
	"log/slog"
	"os"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/schema/yangload"
	"github.com/ncws/ncws/yang"
)

// Example edits the candidate of a persistent store, commits it through a device hook,
// sees an invalid edit refused, and reopens the directory: running is back as last committed.
func Example() {
	sch, err := yang.Load(yangload.Options{Files: []string{yang.Example}})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "datastore-example")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	quiet := slog.New(slog.DiscardHandler)
	// The hook is the device's part of each commit to running; its error would refuse it.
	apply := datastore.HookFuncs{ApplyFunc: func(ctx context.Context, c *datastore.Commit) error {
		for _, ch := range c.Changes {
			fmt.Printf("commit %d by %s: %s\n", c.ID, c.Who.User, ch.Path)
		}
		return nil
	}}
	st, err := datastore.Open(datastore.Options{Schema: sch, Dir: dir, Logger: quiet, Hooks: []datastore.Hook{apply}})
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	who := datastore.Who{User: "admin", Session: 1}

	cfg := []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>edge-1</hostname></system>`)
	if errs := st.Edit(ctx, who, datastore.Candidate, cfg, datastore.EditOptions{}); errs != nil {
		log.Fatal(errs)
	}
	// Validated, applied by the hooks and durable on disk before Commit returns.
	if errs := st.Commit(ctx, who, datastore.CommitOptions{}); errs != nil {
		log.Fatal(errs)
	}
	// An edit of running is a commit too; an invalid one changes nothing.
	bad := []byte(`<system xmlns="urn:ncws:yang:ncws-example"><hostname>-edge-</hostname></system>`)
	for _, e := range st.Edit(ctx, who, datastore.Running, bad, datastore.EditOptions{}) {
		fmt.Println(e.Tag, e.Path)
	}
	if err := st.Close(); err != nil {
		log.Fatal(err)
	}

	st, err = datastore.Open(datastore.Options{Schema: sch, Dir: dir, Logger: quiet})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	st.Read(datastore.Running, func(root *data.Node) {
		out, err := yangxml.Marshal(root, yangxml.EncodeOptions{WithDefaults: yangxml.Explicit})
		if err != nil {
			log.Fatal(err)
		}
		fmt.Printf("%s\n", out)
	})
	// Output:
	// commit 1 by admin: /ncws-example:system
	// invalid-value /ncws-example:system/hostname
	// <system xmlns="urn:ncws:yang:ncws-example"><hostname>edge-1</hostname></system>
}

// ExampleStore_Health reads the state of a persistent store's writes: what a readiness check
// or a metric reports.
func ExampleStore_Health() {
	sch, err := yang.Load(yangload.Options{Files: []string{yang.Example}})
	if err != nil {
		log.Fatal(err)
	}
	dir, err := os.MkdirTemp("", "datastore-health")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(dir)
	st, err := datastore.Open(datastore.Options{Schema: sch, Dir: dir, Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()
	h := st.Health()
	fmt.Println("persistent:", h.Persistent, "writable:", h.Writable(), "snapshots ok:", h.Snapshot.OK)
	if !h.Writable() {
		fmt.Println("failing since", h.Journal.Since, "after", h.Journal.Failures, "attempts:", h.Journal.Err)
	}
	// Output: persistent: true writable: true snapshots ok: true
}
