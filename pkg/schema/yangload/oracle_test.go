package yangload

import (
	"os/exec"
	"regexp"
	"sort"
	"strings"

	"github.com/ncws/ncws/pkg/schema"
)

// treePaths lists every schema node of the implemented modules as "module|a/b/c flags", the
// form yanglintTreePaths gives for yanglint's tree output: flags rw or ro, -x for rpc and
// action, -n for notification, -w for input and its nodes, case for cases.
func treePaths(s *schema.Schema) []string {
	var out []string
	var walk func(top *schema.Module, prefix string, n *schema.Node, in, notif bool)
	walk = func(top *schema.Module, prefix string, n *schema.Node, in, notif bool) {
		p := n.Name
		if n.Module != top && n.Kind != schema.KindInput && n.Kind != schema.KindOutput {
			p = n.Module.Prefix + ":" + p
		}
		if prefix != "" {
			p = prefix + "/" + p
		}
		flags := "ro"
		switch {
		case n.Kind == schema.KindRPC || n.Kind == schema.KindAction:
			flags = "-x"
		case n.Kind == schema.KindNotification:
			flags, notif = "-n", true
		case notif:
			flags = "--"
		case n.Kind == schema.KindInput:
			flags, in = "-w", true
		case n.Kind == schema.KindOutput:
			in = false
		case n.Kind == schema.KindCase:
			flags = "case"
		case in:
			flags = "-w"
		case n.Config:
			flags = "rw"
		}
		if (n.Kind == schema.KindInput || n.Kind == schema.KindOutput) && len(n.Children) == 0 {
			return // yanglint does not print empty input and output
		}
		out = append(out, top.Name+"|"+p+" "+flags+treeDetail(n))
		for _, c := range n.Children {
			walk(top, p, c, in, notif)
		}
	}
	for _, m := range s.Modules {
		if !m.Implemented {
			continue
		}
		for _, list := range [][]*schema.Node{m.Data, m.RPCs, m.Notifications} {
			for _, n := range list {
				walk(m, "", n, false, false)
			}
		}
	}
	sort.Strings(out)
	return out
}

var (
	treeModule  = regexp.MustCompile(`^module: (\S+)`)
	treeSection = regexp.MustCompile(`^\s*(rpcs|notifications):`)
	treeSkip    = regexp.MustCompile(`^\s*(augment|grouping|structure) `)
	treeNode    = regexp.MustCompile(`^([ |]*)[+xo]--(\S+)(?:\s+(\S+))?(.*)$`)
	treeFeature = regexp.MustCompile(`\s*\{[^}]*\}\?\s*$`)
)

// yanglintTreePaths runs yanglint -f tree and converts its output like treePaths.
func yanglintTreePaths(args []string) ([]string, error) {
	out, err := exec.Command("yanglint", append([]string{"-f", "tree"}, args...)...).CombinedOutput()
	if err != nil {
		return nil, &exec.ExitError{Stderr: out}
	}
	var mod string
	var stack []string
	skip := false
	seen := map[string]bool{}
	var res []string
	for _, line := range strings.Split(string(out), "\n") {
		if m := treeModule.FindStringSubmatch(line); m != nil {
			mod, stack, skip = m[1], nil, false
			continue
		}
		if treeSection.MatchString(line) {
			stack, skip = nil, false
			continue
		}
		if treeSkip.MatchString(line) {
			skip = true
			continue
		}
		m := treeNode.FindStringSubmatch(line)
		if skip || m == nil {
			continue
		}
		lvl := (len(m[1]) - 2) / 3
		flags, name := m[2], m[3]
		detail := ""
		if strings.HasPrefix(flags, ":(") {
			name, flags = flags, "case"
		} else {
			suffix := strings.TrimLeft(name[len(strings.TrimRight(name, "?*!")):], "")
			rest := strings.Join(strings.Fields(treeFeature.ReplaceAllString(m[4], "")), " ")
			detail = " " + strings.TrimSpace(suffix+" "+rest)
			if detail == " " {
				detail = ""
			}
		}
		name = strings.TrimRight(name, "?*!")
		name = strings.TrimLeft(name, ":(")
		name = strings.TrimSuffix(name, ")")
		if lvl > len(stack) {
			lvl = len(stack)
		}
		stack = append(stack[:lvl], name)
		k := mod + "|" + strings.Join(stack, "/") + " " + flags + detail
		if !seen[k] {
			seen[k] = true
			res = append(res, k)
		}
	}
	sort.Strings(res)
	return res, nil
}

// treeDetail renders what yanglint's tree shows after a node's name: ?, * or ! and then the
// list keys or the leaf's type.
func treeDetail(n *schema.Node) string {
	suffix := ""
	switch n.Kind {
	case schema.KindLeaf:
		if !n.Mandatory && !n.IsKey() {
			suffix = "?"
		}
	case schema.KindChoice, schema.KindAnydata, schema.KindAnyxml:
		if !n.Mandatory {
			suffix = "?"
		}
	case schema.KindContainer:
		if n.Presence() != "" {
			suffix = "!"
		}
	case schema.KindList, schema.KindLeafList:
		suffix = "*"
	}
	rest := ""
	switch n.Kind {
	case schema.KindList:
		if len(n.Keys()) > 0 {
			var ks []string
			for _, k := range n.Keys() {
				ks = append(ks, k.Name)
			}
			rest = "[" + strings.Join(ks, " ") + "]"
		}
	case schema.KindLeaf, schema.KindLeafList:
		if n.Type.Base == schema.Leafref && n.Type.Typedef == "" {
			rest = "-> " + strings.Join(strings.Fields(n.Type.Path), " ")
		} else {
			rest = n.Type.Name
		}
	case schema.KindAnydata:
		rest = "<anydata>"
	case schema.KindAnyxml:
		rest = "<anyxml>"
	}
	d := strings.TrimSpace(suffix + " " + rest)
	if d == "" {
		return ""
	}
	return " " + d
}
