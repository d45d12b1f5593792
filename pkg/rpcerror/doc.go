// Package rpcerror is the NETCONF <rpc-error> (RFC 6241 section 4.3 and Appendix A, RFC 7950
// section 15): the leaf package every other ncws package may import.
//
// An Error carries error-type, error-tag, error-severity, error-app-tag, error-path,
// error-message and error-info; a List carries several for one rpc-reply. Constructors fill the
// error-info that Appendix A makes mandatory for their tag. From converts any Go error into rpc-errors
// without leaking internal details, as grpc's status.FromError does:
//
//	err := rpcerror.InvalidValue("/ex:top/mtu", "value %q is out of range", "70000")
//	err.AppTag = "my-app-tag"
//	return rpcerror.List{err}
package rpcerror
