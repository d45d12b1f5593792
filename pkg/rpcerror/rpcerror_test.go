package rpcerror

import (
	"errors"
	"fmt"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLegal pins the error-tag/error-type pairs of RFC 6241 Appendix A.
func TestLegal(t *testing.T) {
	all := []Type{Transport, RPC, Protocol, Application}
	want := map[Tag][]Type{
		TagInUse: {Protocol, Application}, TagInvalidValue: {Protocol, Application},
		TagTooBig: all, TagMissingAttribute: {RPC, Protocol, Application},
		TagBadAttribute: {RPC, Protocol, Application}, TagUnknownAttribute: {RPC, Protocol, Application},
		TagMissingElement: {Protocol, Application}, TagBadElement: {Protocol, Application},
		TagUnknownElement: {Protocol, Application}, TagUnknownNamespace: {Protocol, Application},
		TagAccessDenied: {Protocol, Application}, TagLockDenied: {Protocol},
		TagResourceDenied: all, TagRollbackFailed: {Protocol, Application},
		TagDataExists: {Application}, TagDataMissing: {Application},
		TagOperationNotSupported: {Protocol, Application}, TagOperationFailed: {RPC, Protocol, Application},
		TagPartialOperation: {Application}, TagMalformedMessage: {RPC},
	}
	for tag, types := range want {
		for _, typ := range all {
			ok := false
			for _, w := range types {
				ok = ok || w == typ
			}
			if got := Legal(tag, typ); got != ok {
				t.Errorf("Legal(%s, %s) = %v, want %v", tag, typ, got, ok)
			}
		}
	}
}

// TestConstructorsLegal checks that every constructor produces a legal tag/type pair with the
// error-info Appendix A requires.
func TestConstructorsLegal(t *testing.T) {
	tests := []struct {
		err      *Error
		wantInfo []string
	}{
		{InvalidValue("/a", "x"), nil},
		{UnknownElement(Application, "foo", "/a"), []string{"bad-element"}},
		{UnknownNamespace(Protocol, "foo", "urn:x", "/"), []string{"bad-element", "bad-namespace"}},
		{BadElement(Application, "foo", "/a", "bad"), []string{"bad-element"}},
		{MissingElement(Application, "foo", "/a", "missing"), []string{"bad-element"}},
		{MissingAttribute(RPC, "message-id", "rpc"), []string{"bad-attribute", "bad-element"}},
		{BadAttribute(Protocol, "operation", "leaf", "bad"), []string{"bad-attribute", "bad-element"}},
		{UnknownAttribute(Protocol, "x", "rpc"), []string{"bad-attribute", "bad-element"}},
		{LockDenied(7), []string{"session-id"}},
		{MalformedMessage("bad xml"), nil},
		{OperationNotSupported("no"), nil},
		{OperationFailed("no"), nil},
	}
	for _, tt := range tests {
		t.Run(string(tt.err.Tag), func(t *testing.T) {
			if !Legal(tt.err.Tag, tt.err.Type) {
				t.Errorf("illegal pair %s/%s", tt.err.Tag, tt.err.Type)
			}
			var got []string
			for _, i := range tt.err.Info {
				got = append(got, i.Name)
			}
			if diff := cmp.Diff(tt.wantInfo, got); diff != "" {
				t.Errorf("error-info mismatch (-want +got):\n%s", diff)
			}
		})
	}
}

func TestFrom(t *testing.T) {
	e := InvalidValue("/x", "bad")
	if got := From(fmt.Errorf("wrapped: %w", e)); len(got) != 1 || got[0] != e {
		t.Errorf("From(wrapped *Error) = %v, want the error itself", got)
	}
	l := List{e, OperationFailed("x")}
	if got := From(fmt.Errorf("w: %w", l)); len(got) != 2 {
		t.Errorf("From(wrapped List) = %v, want 2 errors", got)
	}
	got := From(errors.New("disk /var/secret failed"))
	if len(got) != 1 || got[0].Tag != TagOperationFailed || got[0].Message != "internal error" {
		t.Errorf("From(plain error) = %+v, want one operation-failed without the cause", got)
	}
	if From(nil) != nil {
		t.Error("From(nil) != nil")
	}
	if (List{}).Err() != nil {
		t.Error("empty List.Err() != nil")
	}
}

func TestErrorString(t *testing.T) {
	e := &Error{Type: Application, Tag: TagOperationFailed, AppTag: AppTagMustViolation,
		Path: "/ex:top/mtu", Message: "mtu too small"}
	if got, want := e.Error(), "/ex:top/mtu: mtu too small [operation-failed/must-violation]"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
}
