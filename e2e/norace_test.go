//go:build !race

package e2e

// raceEnabled is false: the server under test is built without the race detector.
const raceEnabled = false
