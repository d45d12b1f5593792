// Package netconf holds the wire pieces of NETCONF shared by clients and servers, without any
// session logic: the <hello> message and capability URIs (RFC 6241 section 8, RFC 7950 section
// 5.6.4, RFC 8526), the <rpc> envelope and its <rpc-reply> with <ok/>, <data> and <rpc-error>
// (RFC 6241 sections 4.1 to 4.3), the <notification> envelope (RFC 5277 section 4), and the two
// message framings of the SSH transport (RFC 6242 section 4).
//
// Everything it sends uses the default namespace and no prefixes (`<hello
// xmlns="urn:ietf:params:xml:ns:netconf:base:1.0">`); it accepts any prefixes. XML is read with
// the tokenizer yangxml uses (internal/xmltok): well-formedness is checked fully and a DOCTYPE is
// refused, never processed. Operation bodies are left as bytes for yangxml to decode against the
// rpc's input schema.
//
//	m, rerr := netconf.DecodeRPC(msg)
//	if rerr != nil {
//		return netconf.AppendRPCErrors(nil, m.ReplyAttrs(), rpcerror.List{rerr}, s)
//	}
//	input, errs := yangxml.Unmarshal(m.Operation(), s, yangxml.DecodeOptions{})
//	reply := netconf.AppendOK(nil, m.Attrs)
package netconf
