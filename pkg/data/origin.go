package data

// Origin says where a node of the operational view came from: the identities of RFC 8342
// section 7's ietf-origin module. The zero value, OriginNone, means the node carries no origin
// of its own: a node of a configuration datastore, or of the operational view's intended
// configuration (whose origin is intended, or default for a node marked Default).
type Origin uint8

// The origins of ietf-origin.
const (
	OriginNone Origin = iota
	OriginIntended
	OriginDynamic
	OriginSystem
	OriginLearned
	OriginDefault
	OriginUnknown
)

var originNames = [...]string{"", "intended", "dynamic", "system", "learned", "default", "unknown"}

// String returns the origin's identity name in ietf-origin ("learned" ...), "" for OriginNone.
func (o Origin) String() string {
	if int(o) < len(originNames) {
		return originNames[o]
	}
	return ""
}

// ParseOrigin returns the origin whose ietf-origin identity is called name.
func ParseOrigin(name string) (Origin, bool) {
	for i, n := range originNames {
		if i > 0 && n == name {
			return Origin(i), true
		}
	}
	return OriginNone, false
}
