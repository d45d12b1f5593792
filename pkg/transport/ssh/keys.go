package ssh

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/rsa"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	xssh "golang.org/x/crypto/ssh"

	"github.com/ncws/ncws/pkg/auth"
)

// Host key files LoadOrCreateHostKeys keeps in its directory (OpenSSH private key format).
const (
	HostKeyEd25519 = "ssh_host_ed25519_key"
	HostKeyRSA     = "ssh_host_rsa_key"
)

// rsaBits is the size of a generated RSA host key.
const rsaBits = 3072

// LoadOrCreateHostKeys returns the host keys in dir: an Ed25519 key and an RSA key (for old
// clients), each generated on first use and written 0600 in OpenSSH's private key format.
// created lists the files it made. Print their fingerprints (xssh.FingerprintSHA256 of
// Signer.PublicKey()) so that users can check them on first connection.
func LoadOrCreateHostKeys(dir string) (keys []xssh.Signer, created []string, err error) {
	for _, name := range []string{HostKeyEd25519, HostKeyRSA} {
		path := filepath.Join(dir, name)
		b, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			if b, err = newHostKey(name); err != nil {
				return nil, nil, err
			}
			if err := writeNew(path, b); err != nil {
				return nil, nil, fmt.Errorf("ssh: host key: %w", err)
			}
			created = append(created, path)
		} else if err != nil {
			return nil, nil, fmt.Errorf("ssh: host key: %w", err)
		}
		k, err := xssh.ParsePrivateKey(b)
		if err != nil {
			return nil, nil, fmt.Errorf("ssh: host key %s: %w", path, err)
		}
		keys = append(keys, k)
	}
	return keys, created, nil
}

func newHostKey(name string) ([]byte, error) {
	var key any
	switch name {
	case HostKeyEd25519:
		_, k, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, err
		}
		key = k
	default:
		k, err := rsa.GenerateKey(rand.Reader, rsaBits)
		if err != nil {
			return nil, err
		}
		key = k
	}
	blk, err := xssh.MarshalPrivateKey(key, "ncws host key")
	if err != nil {
		return nil, err
	}
	return pem.EncodeToMemory(blk), nil
}

// writeNew writes a new file durably: a temporary file, fsync, rename, fsync of the directory.
func writeNew(path string, b []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-hostkey-*")
	if err != nil {
		return err
	}
	defer os.Remove(f.Name())
	if err := f.Chmod(0o600); err != nil {
		f.Close()
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, err := os.Open(filepath.Dir(path)); err == nil {
		d.Sync()
		d.Close()
	}
	return nil
}

// AuthorizedKeysDir returns a PublicKeys function reading dir/USER, a file in OpenSSH's
// authorized_keys format, on each login (so that edits apply at once). A missing file means no
// keys; a username that is not a valid name (auth.ValidUsername) or not a plain file name
// ("..", "a/b") has none.
func AuthorizedKeysDir(dir string) func(user string) ([]xssh.PublicKey, error) {
	return func(user string) ([]xssh.PublicKey, error) {
		if auth.ValidUsername(user) != nil || user != filepath.Base(user) || user == "." || user == ".." || strings.ContainsAny(user, `/\`) {
			return nil, nil
		}
		b, err := os.ReadFile(filepath.Join(dir, user))
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		var keys []xssh.PublicKey
		for len(b) > 0 {
			k, _, _, rest, err := xssh.ParseAuthorizedKey(b)
			if err != nil {
				break // no more keys (comments and blank lines are skipped by the parser)
			}
			keys = append(keys, k)
			b = rest
		}
		return keys, nil
	}
}
