package datastore

// Watch registers fn to be told of every commit to running once it is durable (after the
// hooks' Committed): the server's YANG-Push on-change subscriptions (RFC 8641) read a commit's
// changed locations from it. fn runs with the store locked, in commit order: it must not call
// the Store, must return quickly, and may read c (its Changes and Running) only during the
// call; what it keeps it copies. A panic in fn is recovered and logged. The returned function
// ends the registration.
func (s *Store) Watch(fn func(c *Commit)) (cancel func()) {
	s.watchMu.Lock()
	defer s.watchMu.Unlock()
	if s.watchers == nil {
		s.watchers = map[int]func(*Commit){}
	}
	s.watchID++
	id := s.watchID
	s.watchers[id] = fn
	return func() {
		s.watchMu.Lock()
		defer s.watchMu.Unlock()
		delete(s.watchers, id)
	}
}

// notifyWatchers calls the Watch functions for c.
func (s *Store) notifyWatchers(c *Commit) {
	s.watchMu.Lock()
	fns := make([]func(*Commit), 0, len(s.watchers))
	for _, fn := range s.watchers {
		fns = append(fns, fn)
	}
	s.watchMu.Unlock()
	for _, fn := range fns {
		func() {
			defer func() {
				if r := recover(); r != nil {
					s.log.Error("datastore: a commit watcher panicked", "panic", r)
				}
			}()
			fn(c)
		}()
	}
}
