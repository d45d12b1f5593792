package datastore

// WaitSnapshot waits for a snapshot running in the background to end.
func WaitSnapshot(s *Store) {
	s.compacting.Lock()
	//lint:ignore SA2001 an empty critical section: waiting for the snapshot's holder is the point
	s.compacting.Unlock()
}
