package validate

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/schema"
)

// iidStep is one step of an instance-identifier: /prefix:name[pred]...
type iidStep struct {
	prefix, name string
	preds        []iidPred
}

// iidPred is one predicate: [prefix:name='value'], [.='value'] (name "."), or [position].
type iidPred struct {
	prefix, name string
	value        string
	pos          int // > 0 for a positional predicate
}

var errIID = errors.New("malformed instance-identifier")

// parseInstanceID parses an instance-identifier in the RFC 7950 section 9.13 / RFC 7951 section
// 6.11 syntax (a subset of XPath: absolute steps with key, leaf-list value and position
// predicates).
func parseInstanceID(s string) ([]iidStep, error) {
	p := iidParser{s: s}
	var steps []iidStep
	p.ws()
	if p.eof() {
		return nil, errIID
	}
	for !p.eof() {
		if !p.lit('/') {
			return nil, p.fail("expected '/'")
		}
		var st iidStep
		var err error
		if st.prefix, st.name, err = p.qname(); err != nil {
			return nil, err
		}
		for p.ws(); p.lit('['); p.ws() {
			pr, err := p.pred()
			if err != nil {
				return nil, err
			}
			st.preds = append(st.preds, pr)
		}
		steps = append(steps, st)
	}
	return steps, nil
}

type iidParser struct {
	s string
	i int
}

func (p *iidParser) eof() bool { return p.i >= len(p.s) }

func (p *iidParser) fail(what string) error {
	return fmt.Errorf("%w: %s at offset %d", errIID, what, p.i)
}

func (p *iidParser) ws() {
	for p.i < len(p.s) && (p.s[p.i] == ' ' || p.s[p.i] == '\t' || p.s[p.i] == '\n' || p.s[p.i] == '\r') {
		p.i++
	}
}

func (p *iidParser) lit(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func isNameStart(c byte) bool { return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isNameChar(c byte) bool { return isNameStart(c) || c == '-' || c == '.' || c >= '0' && c <= '9' }

func (p *iidParser) ident() (string, error) {
	start := p.i
	if p.eof() || !isNameStart(p.s[p.i]) {
		return "", p.fail("expected an identifier")
	}
	for p.i < len(p.s) && isNameChar(p.s[p.i]) {
		p.i++
	}
	return p.s[start:p.i], nil
}

func (p *iidParser) qname() (prefix, name string, err error) {
	if name, err = p.ident(); err != nil {
		return "", "", err
	}
	if p.lit(':') {
		prefix = name
		if name, err = p.ident(); err != nil {
			return "", "", err
		}
	}
	return prefix, name, nil
}

// pred parses a predicate after its '['.
func (p *iidParser) pred() (iidPred, error) {
	var pr iidPred
	switch {
	case p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9':
		start := p.i
		for p.i < len(p.s) && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
			p.i++
		}
		n, err := strconv.Atoi(p.s[start:p.i])
		if err != nil || n < 1 {
			return pr, p.fail("bad position")
		}
		pr.pos = n
	default:
		if p.lit('.') {
			pr.name = "."
		} else {
			var err error
			if pr.prefix, pr.name, err = p.qname(); err != nil {
				return pr, err
			}
		}
		p.ws()
		if !p.lit('=') {
			return pr, p.fail("expected '='")
		}
		p.ws()
		if p.eof() || (p.s[p.i] != '\'' && p.s[p.i] != '"') {
			return pr, p.fail("expected a quoted value")
		}
		q := p.s[p.i]
		end := strings.IndexByte(p.s[p.i+1:], q)
		if end < 0 {
			return pr, p.fail("unterminated value")
		}
		pr.value = p.s[p.i+1 : p.i+1+end]
		p.i += end + 2
	}
	p.ws()
	if !p.lit(']') {
		return pr, p.fail("expected ']'")
	}
	return pr, nil
}

// resolveInstanceID reports whether the node that instance-identifier s designates exists in the
// tree under document root doc.
func (v *Validator) resolveInstanceID(doc *data.Node, s string) (bool, error) {
	steps, err := parseInstanceID(s)
	if err != nil {
		return false, err
	}
	cur := doc
	var mod *schema.Module
	for _, st := range steps {
		if st.prefix != "" {
			if mod = v.schema.Module(st.prefix); mod == nil {
				return false, fmt.Errorf("unknown module %q", st.prefix)
			}
		} else if mod == nil {
			return false, fmt.Errorf("%w: first step without module name", errIID)
		}
		var sn *schema.Node
		if cur.IsRoot() {
			sn = v.schema.Top(mod, st.name)
		} else {
			sn = cur.Schema.Child(mod, st.name)
		}
		if sn == nil {
			return false, nil
		}
		next, err := v.selectInstance(cur, sn, mod, st.preds)
		if err != nil || next == nil {
			return false, err
		}
		cur = next
	}
	return true, nil
}

// selectInstance returns the instance of sn under cur that predicates preds select.
func (v *Validator) selectInstance(cur *data.Node, sn *schema.Node, mod *schema.Module, preds []iidPred) (*data.Node, error) {
	if len(preds) == 0 {
		return cur.Child(sn), nil
	}
	if len(preds) == 1 && preds[0].pos > 0 {
		inst := cur.Instances(sn)
		if preds[0].pos > len(inst) {
			return nil, nil
		}
		return inst[preds[0].pos-1], nil
	}
	switch sn.Kind {
	case schema.KindLeafList:
		if len(preds) != 1 || preds[0].name != "." {
			return nil, fmt.Errorf("%w: bad leaf-list predicate", errIID)
		}
		return cur.Find(sn, preds[0].value), nil
	case schema.KindList:
		vals := make([]string, len(sn.Keys))
		for _, pr := range preds {
			km := mod
			if pr.prefix != "" {
				if km = v.schema.Module(pr.prefix); km == nil {
					return nil, fmt.Errorf("unknown module %q", pr.prefix)
				}
			}
			i := -1
			for j, k := range sn.Keys {
				if k.Name == pr.name && (k.Module == km || pr.prefix == "") {
					i = j
				}
			}
			if i < 0 || pr.pos > 0 {
				return nil, fmt.Errorf("%w: %q is not a key of %q", errIID, pr.name, sn.Name)
			}
			vals[i] = pr.value
		}
		if len(preds) != len(sn.Keys) {
			return nil, fmt.Errorf("%w: not every key of %q given", errIID, sn.Name)
		}
		return cur.Find(sn, strings.Join(vals, "\x00")), nil
	}
	return nil, fmt.Errorf("%w: predicate on %s %q", errIID, sn.Kind, sn.Name)
}
