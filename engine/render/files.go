// This file is .Files: the chart's non-template files, read by templates (Istio's charts read profiles and
// injection templates with .Files.Get).
package render

import (
	"encoding/base64"
	"path"
	"strings"

	"github.com/gobwas/glob"
)

// Files maps a chart-relative path to its content. Its methods are the ones Helm documents for .Files.
type Files map[string][]byte

func newFiles(list []File) Files {
	f := Files{}
	for _, file := range list {
		f[file.Name] = file.Data
	}
	return f
}

// GetBytes returns a file's content, or an empty slice when there is no such file.
func (f Files) GetBytes(name string) []byte {
	if data, ok := f[name]; ok {
		return data
	}
	return []byte{}
}

// Get returns a file's content as a string; a missing file reads as "" so that `with .Files.Get ...` can test
// for existence, which Istio's profile lookup relies on.
func (f Files) Get(name string) string {
	return string(f.GetBytes(name))
}

// Glob returns the files whose path matches a shell-style pattern where `*` stops at `/` and `**` does not. A
// malformed pattern matches everything, as in Helm.
func (f Files) Glob(pattern string) Files {
	g, err := glob.Compile(pattern, '/')
	if err != nil {
		g = glob.MustCompile("**")
	}
	out := Files{}
	for name, data := range f {
		if g.Match(name) {
			out[name] = data
		}
	}
	return out
}

// AsConfig renders the files as the body of a ConfigMap's data: base name to content, as YAML.
func (f Files) AsConfig() string {
	if f == nil {
		return ""
	}
	m := map[string]string{}
	for name, data := range f {
		m[path.Base(name)] = string(data)
	}
	return toYAML(m)
}

// AsSecrets is AsConfig with base64-encoded contents, for a Secret's data.
func (f Files) AsSecrets() string {
	if f == nil {
		return ""
	}
	m := map[string]string{}
	for name, data := range f {
		m[path.Base(name)] = base64.StdEncoding.EncodeToString(data)
	}
	return toYAML(m)
}

// Lines splits a file into lines; one trailing newline does not make an extra empty line.
func (f Files) Lines(name string) []string {
	data := f[name]
	if len(data) == 0 {
		return []string{}
	}
	return strings.Split(strings.TrimSuffix(string(data), "\n"), "\n")
}
