package datastore

// WaitSnapshot waits for a snapshot running in the background to end.
func WaitSnapshot(s *Store) {
	s.compacting.Lock()
	//lint:ignore SA2001 an empty critical section: waiting for the snapshot's holder is the point
	s.compacting.Unlock()
}

// CandidateShared reports whether the candidate shares running's tree (it has no tree of its own).
func CandidateShared(s *Store) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.candidate == nil
}
