package genimpl

import "sync"

// Register adds the union types that unions returns to p, for a generated package whose
// conversion goes through p as its Package.Shared: the packages of a tree generated with
// --split module call it on their base package's Package from an init function, so that a
// struct of one package holding a union type of another converts. unions is called once, on
// p's first use; Register panics when p is already in use (its union types are fixed then).
func (p *Package) Register(unions func() []Union) {
	p.reg.add(unions)
}

// registry holds the union sources registered with a Package.
type registry struct {
	mu      sync.Mutex
	more    []func() []Union
	started bool
}

func (r *registry) add(unions func() []Union) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.started {
		panic("genimpl: Package.Register after the package's first conversion")
	}
	r.more = append(r.more, unions)
}

// sources returns the union types of own (the Package's Unions, may be nil) and of every
// registered function, and marks the registry started.
func (r *registry) sources(own func() []Union) []Union {
	r.mu.Lock()
	r.started = true
	more := r.more
	r.mu.Unlock()
	var out []Union
	if own != nil {
		out = own()
	}
	for _, f := range more {
		out = append(out, f()...)
	}
	return out
}

// UnionText returns the lexical form of u, a non-nil value of a generated union type (its
// member wrapper's String), for generated code of another package than the union's.
// A nil u gives "".
func UnionText(u any) string {
	if s, ok := u.(interface{ String() string }); ok {
		return s.String()
	}
	return ""
}
