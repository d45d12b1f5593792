package agent

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/ncws/ncws/pkg/data"
	"github.com/ncws/ncws/pkg/datastore"
	"github.com/ncws/ncws/pkg/nacm"
)

// NACM, always on when the schema holds ietf-netconf-acm (every generated package and yang.Load
// include it): the first start writes a configuration in which the first user of the users
// file (the admin ncws creates) may do everything, so that nobody is locked out and that user
// can then configure /nacm.
const nacmTop = "/ietf-netconf-acm:nacm"

// setupNACM builds the engine, seeds /nacm when running has none, and wires the store, the
// server and the counters (nacm.Engine.Attach). It is called by New.
func (a *Agent) setupNACM() error {
	sn := a.sch.FindNode(nacmTop)
	if sn == nil {
		a.log.Warn("agent: the schema has no ietf-netconf-acm: access control is off (regenerate the package with this ncws)")
		return nil
	}
	groups := &groupsFile{path: a.opts.GroupsFile}
	a.nacm = nacm.New(a.sch, nacm.Options{ExternalGroups: groups.lookup, RecoveryUser: a.opts.RecoveryUser, Logger: a.log})
	if err := a.seedNACM(); err != nil {
		return err
	}
	if err := a.nacm.Attach(a.store, a.srv); err != nil {
		return fmt.Errorf("agent: %w", err)
	}
	// Rules are compiled again once a change of /nacm is durable.
	a.hooks.hooks = append(a.hooks.hooks, &hookEntry{h: Hook{Path: nacmTop, Committed: func(ctx context.Context, c *Commit) {
		a.nacm.Load(c.Running)
	}}, chain: dataChain(sn), order: -1})
	return nil
}

// seedNACM writes the first configuration when running holds no /nacm (or one of defaults only).
func (a *Agent) seedNACM() error {
	has := false
	a.store.Read(datastore.Running, func(root *data.Node) {
		for _, c := range root.Children() {
			if c.Schema.Module.Namespace == nacm.Namespace && c.Schema.Name == "nacm" && !c.Default {
				has = true
			}
		}
	})
	if has {
		return nil
	}
	admin, err := firstUser(a.users)
	if err != nil || admin == "" {
		a.log.Warn("agent: no user in the users file for the NACM admin group; only the recovery user may write", "file", a.users, "err", err)
		return nil
	}
	cfg := `<nacm xmlns="` + nacm.Namespace + `">
  <groups><group><name>admin</name><user-name>` + xmlEscape(admin) + `</user-name></group></groups>
  <rule-list><name>admin</name><group>admin</group>
    <rule><name>permit-all</name><module-name>*</module-name><access-operations>*</access-operations><action>permit</action>
      <comment>Written by ncws at the first start: the admin group may do everything.</comment></rule>
  </rule-list>
</nacm>`
	if errs := a.store.Edit(context.Background(), datastore.Who{User: "ncws"}, datastore.Running, []byte(cfg), datastore.EditOptions{}); len(errs) > 0 {
		return fmt.Errorf("agent: writing the first NACM configuration: %w", errs)
	}
	a.log.Info("agent: NACM configured: group admin holds the first user, who may do everything", "user", admin)
	return nil
}

func xmlEscape(s string) string {
	r := strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")
	return r.Replace(s)
}

// firstUser returns the first user of an htpasswd file.
func firstUser(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		user, _, _ := strings.Cut(line, ":")
		return user, nil
	}
	return "", sc.Err()
}

// groupsFile is the users' groups outside NACM (its enable-external-groups): lines
// "GROUP: USER USER ..." (Apache's AuthGroupFile format), reread when the file changes.
type groupsFile struct {
	path string

	mu      sync.Mutex
	mod     time.Time
	size    int64
	byUser  map[string][]string
	checked time.Time
}

func (g *groupsFile) lookup(user string) []string {
	if g.path == "" {
		return nil
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if time.Since(g.checked) > time.Second {
		g.checked = time.Now()
		if st, err := os.Stat(g.path); err == nil && (st.ModTime() != g.mod || st.Size() != g.size) {
			g.mod, g.size = st.ModTime(), st.Size()
			g.byUser = parseGroups(g.path)
		} else if err != nil {
			g.byUser = nil
		}
	}
	return g.byUser[user]
}

func parseGroups(path string) map[string][]string {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil
	}
	out := map[string][]string{}
	for _, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		group, users, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		for _, u := range strings.Fields(users) {
			out[u] = append(out[u], strings.TrimSpace(group))
		}
	}
	return out
}
