package datastore

// WaitSnapshot waits for a snapshot running in the background to end.
func WaitSnapshot(s *Store) {
	s.compacting.Lock()
	s.compacting.Unlock() //nolint:staticcheck // an empty critical section: waiting is the point
}
