//go:build race

package e2e

// raceEnabled builds the server under test with the race detector too, so that a data race in
// the real binary fails the test (the race runtime exits with status 66).
const raceEnabled = true
