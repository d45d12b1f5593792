package server

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/encoding/yangjson"
	"github.com/ncws/ncws/pkg/encoding/yangxml"
	"github.com/ncws/ncws/pkg/netconf"
	"github.com/ncws/ncws/pkg/schema"
)

// JSON-encoded dynamic subscriptions (RFC 8639 encode-json). RFC 8639 leaves the carriage of
// an encoding to the transport, and RFC 8640 (NETCONF) specifies XML only; Netopeer2 refuses
// anything but encode-xml. ncws keeps the NETCONF message an XML <notification> (so framing,
// message parsing and every client's notification dispatch stay as they are) and carries the
// JSON in it:
//
//	<notification xmlns="urn:ietf:params:xml:ns:netconf:notification:1.0">
//	  <eventTime>2026-12-05T08:00:00.1Z</eventTime>
//	  <json-notification xmlns="urn:ncws:yang:ncws-server">
//	    <json>{"ietf-restconf:notification":{"eventTime":"2026-12-05T08:00:00.1Z",
//	      "ietf-yang-push:push-update":{"id":1,"datastore-contents":{...}}}}</json>
//	  </json-notification>
//	</notification>
//
// The json leaf (ncws-server's json-notification) is the notification exactly as a RESTCONF
// client receives it (RFC 8040 section 6.4), its node encoded per RFC 7951; anydata contents
// (push-update's datastore-contents, a yang-patch edit's value) are RFC 7951 JSON objects.

// nsServer is ncws-server's namespace.
const nsServer = "urn:ncws:yang:ncws-server"

// encodeJSON is the identity name of RFC 8639's JSON encoding.
const encodeJSON = "encode-json"

// jsonHead returns the start of a JSON-encoded notification message, up to where the
// notification's own member (`"module:name":{...}`) goes; jsonTail closes it.
func jsonHead(at time.Time) []byte {
	ts := at.AppendFormat(nil, time.RFC3339Nano)
	b := []byte(`<notification xmlns="` + netconf.NotificationNamespace + `"><eventTime>`)
	b = append(b, ts...)
	b = append(b, `</eventTime><json-notification xmlns="`+nsServer+`"><json>{"ietf-restconf:notification":{"eventTime":"`...)
	b = append(b, ts...)
	return append(b, `",`...)
}

const jsonTail = `}}</json></json-notification></notification>`

// jsonMessage wraps member (the notification's own `"module:name":{...}` JSON text) in the
// message, XML-escaped.
func jsonMessage(at time.Time, member []byte) []byte {
	b := jsonHead(at)
	b = netconf.AppendEscaped(b, string(member), false)
	return append(b, jsonTail...)
}

// jsonEvent encodes an event tree (a document root holding the notification node) as a JSON
// notification message.
func (srv *Server) jsonEvent(at time.Time, root *data.Node) ([]byte, bool) {
	j, err := yangjson.Marshal(root, yangjson.EncodeOptions{})
	if err != nil || len(j) < 2 {
		srv.Logger.Error("server: encoding a notification as JSON", "err", err)
		return nil, false
	}
	return jsonMessage(at, j[1:len(j)-1]), true
}

// jsonStateEvent encodes a subscription state change notification with the id and, when set,
// the reason identity.
func jsonStateEvent(name string, id uint32, reason string) []byte {
	b := []byte(`"ietf-subscribed-notifications:` + name + `":{"id":`)
	b = strconv.AppendUint(b, uint64(id), 10)
	if reason != "" {
		b = append(b, `,"reason":"ietf-subscribed-notifications:`+reason+`"`...)
	}
	b = append(b, '}')
	return jsonMessage(time.Now(), b)
}

// jsonModifiedEvent encodes subscription-modified with the subscription's terms. A subtree
// filter given in the subscription is left out: its selection nodes (empty leaves of any type)
// are not instance data, and RFC 7951 has no encoding for them; the xpath filter or the
// filter's name is given. The caller holds srv.nmu.
func jsonModifiedEvent(sub *dynSub, sch *schema.Schema) []byte {
	b := []byte(`"ietf-subscribed-notifications:subscription-modified":{"id":`)
	b = strconv.AppendUint(b, uint64(sub.id), 10)
	str := func(name, v string) {
		b = append(b, `,"`+name+`":`...)
		b = appendJSONString(b, v)
	}
	if sub.stream != "" {
		str("stream", sub.stream)
		switch {
		case sub.ref.name != "":
			str("stream-filter-name", sub.ref.name)
		case sub.filterXPath != "":
			str("stream-xpath-filter", sub.filterXPath)
		case sub.filterXML != "":
			if v, ok := jsonStreamFilter(sub.filterXML, sch); ok {
				b = append(b, `,"stream-subtree-filter":`...)
				b = append(b, v...)
			}
		}
		if !sub.replayStart.IsZero() {
			str("replay-start-time", sub.replayStart.UTC().Format(time.RFC3339Nano))
		}
	} else {
		str("ietf-yang-push:datastore", "ietf-datastores:"+string(sub.ds))
		switch {
		case sub.ref.name != "":
			str("ietf-yang-push:selection-filter-ref", sub.ref.name)
		case sub.filterXPath != "":
			str("ietf-yang-push:datastore-xpath-filter", sub.filterXPath)
		case sub.filterXML != "":
			if v, ok := jsonSubtreeFilter(sub.filterXML, sch); ok {
				b = append(b, `,"ietf-yang-push:datastore-subtree-filter":`...)
				b = append(b, v...)
			}
		}
	}
	if !sub.stop.IsZero() {
		str("stop-time", sub.stop.UTC().Format(time.RFC3339Nano))
	}
	str("encoding", "ietf-subscribed-notifications:"+sub.encoding)
	if sub.ds != "" {
		if sub.period > 0 {
			b = append(b, `,"ietf-yang-push:periodic":{"period":`...)
			b = strconv.AppendInt(b, int64(sub.period/(10*time.Millisecond)), 10)
			if sub.hasAnchor {
				str("anchor-time", sub.anchor.UTC().Format(time.RFC3339Nano))
			}
			b = append(b, '}')
		} else {
			b = append(b, `,"ietf-yang-push:on-change":{"dampening-period":`...)
			b = strconv.AppendInt(b, int64(sub.dampening/(10*time.Millisecond)), 10)
			b = append(b, `,"sync-on-start":`+strconv.FormatBool(sub.syncOnStart)...)
			if len(sub.excluded) > 0 {
				b = append(b, `,"excluded-change":[`...)
				for i, ch := range sortedKeys(sub.excluded) {
					if i > 0 {
						b = append(b, ',')
					}
					b = appendJSONString(b, ch)
				}
				b = append(b, ']')
			}
			b = append(b, '}')
		}
	}
	b = append(b, '}')
	return jsonMessage(time.Now(), b)
}

// jsonSubtreeFilter encodes a subtree filter (its XML text: the anydata stream-subtree-filter or
// datastore-subtree-filter) as RFC 7951 JSON, an object of its top-level nodes: when the
// filter reads as instance data of the schema, which is what RFC 7951 can carry for anydata.
// A filter with what instance data cannot hold (a selection leaf, which has no value, whatever
// its type; a list entry without its keys; elements of no module of the schema) is left out (false): its
// receiver asked for it and has its XML text.
func jsonSubtreeFilter(filterXML string, sch *schema.Schema) ([]byte, bool) {
	doc := `<data xmlns="` + netconf.BaseNamespace + `">` + filterXML + `</data>`
	root, errs := yangxml.Unmarshal([]byte(doc), sch, yangxml.DecodeOptions{Wrappers: []string{"data"}, RequireWrapper: true})
	if len(errs) > 0 || root == nil || len(root.Children()) == 0 || hasSelectionLeaf(root) {
		return nil, false
	}
	v, err := yangjson.Marshal(root, yangjson.EncodeOptions{})
	if err != nil {
		return nil, false
	}
	return v, true
}

// jsonPushUpdate encodes a push-update with the selected contents (a document root).
func (srv *Server) jsonPushUpdate(id uint32, sel *data.Node) ([]byte, bool) {
	j, err := yangjson.Marshal(sel, yangjson.EncodeOptions{})
	if err != nil {
		srv.Logger.Error("server: encoding a push-update as JSON", "err", err)
		return nil, false
	}
	b := []byte(`"ietf-yang-push:push-update":{"id":`)
	b = strconv.AppendUint(b, uint64(id), 10)
	b = append(b, `,"datastore-contents":`...)
	b = append(b, j...)
	b = append(b, '}')
	return jsonMessage(time.Now(), b), true
}

// jsonChangeUpdate encodes a push-change-update with the edits (whose values are JSON),
// split where the subscription id goes.
func jsonChangeUpdate(edits []pushEdit, patchID string, at time.Time) (head, tail []byte) {
	head = jsonHead(at)
	head = netconf.AppendEscaped(head, `"ietf-yang-push:push-change-update":{"id":`, false)
	t := []byte(`,"datastore-changes":{"yang-patch":{"patch-id":`)
	t = appendJSONString(t, patchID)
	t = append(t, `,"edit":[`...)
	for i, e := range edits {
		if i > 0 {
			t = append(t, ',')
		}
		t = append(t, `{"edit-id":"edit-`...)
		t = strconv.AppendInt(t, int64(i+1), 10)
		t = append(t, `","operation":"`+e.op+`","target":`...)
		t = appendJSONString(t, e.target)
		if e.value != nil {
			t = append(t, `,"value":`...)
			t = append(t, e.value...)
		}
		t = append(t, '}')
	}
	t = append(t, "]}}}"...)
	tail = netconf.AppendEscaped(nil, string(t), false)
	return head, append(tail, jsonTail...)
}

// appendJSONString appends s as a JSON string.
func appendJSONString(b []byte, s string) []byte {
	j, _ := json.Marshal(s)
	return append(b, j...)
}

// jsonStreamFilter is jsonSubtreeFilter for a stream-subtree-filter, whose top-level elements
// are notifications: each is read as that notification's instance (its content nodes with
// values), and the object has one member per notification, module-qualified
// ({"ncws-example:config-saved":{"user":"bob"}}), as an event's JSON has. A filter with an
// element that is no notification of the schema, or content an instance cannot hold (a
// selection leaf), is left out (false).
func jsonStreamFilter(filterXML string, sch *schema.Schema) ([]byte, bool) {
	root := data.NewRoot()
	d := xml.NewDecoder(strings.NewReader(filterXML))
	depth := 0
	var start int64
	var notif *schema.Node
	for {
		off := d.InputOffset()
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, false
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				mod := sch.ModuleByNamespace(t.Name.Space)
				if mod == nil {
					return nil, false
				}
				notif = nil
				for _, n := range mod.Notifications {
					if n.Name == t.Name.Local {
						notif = n
					}
				}
				if notif == nil {
					return nil, false
				}
				start = off
			}
			depth++
		case xml.EndElement:
			depth--
			if depth == 0 {
				n, errs := yangxml.Unmarshal([]byte(filterXML[start:d.InputOffset()]), sch, yangxml.DecodeOptions{Operation: notif})
				if len(errs) > 0 || n == nil || hasSelectionLeaf(n) {
					return nil, false
				}
				root.Add(n)
			}
		case xml.CharData:
			if depth == 0 && len(bytes.TrimSpace(t)) > 0 {
				return nil, false
			}
		}
	}
	if len(root.Children()) == 0 {
		return nil, false
	}
	v, err := yangjson.Marshal(root, yangjson.EncodeOptions{})
	if err != nil {
		return nil, false
	}
	return v, true
}

// hasSelectionLeaf reports whether the decoded filter n holds a leaf or leaf-list entry without
// text: a selection node (RFC 6241 section 6.2.4) whatever the leaf's type, though a string
// or an empty-typed leaf decodes from it. Encoded as instance data it would read as a content
// match ("" or [null]), which it is not.
func hasSelectionLeaf(n *data.Node) bool {
	for _, c := range n.Children() {
		switch c.Schema.Kind {
		case schema.KindLeaf, schema.KindLeafList:
			if c.Value.Str == "" {
				return true
			}
		case schema.KindAnydata, schema.KindAnyxml:
		default:
			if hasSelectionLeaf(c) {
				return true
			}
		}
	}
	return false
}
