// This file executes a chart's templates. What it reproduces from Helm, because charts depend on it:
//   - all templates are parsed into one set, so any file can `include` a `define` from any other;
//   - execution order is deepest path first, then reverse lexical order of the name, which makes Istio's
//     zzz_profile.yaml run first and rewrite .Values for everything after it;
//   - files whose base name starts with "_" are parsed but produce no output;
//   - a missing map key yields the zero value, and any "<no value>" left in the output is removed.
package render

import (
	"errors"
	"fmt"
	"path"
	"sort"
	"strings"
	"text/template"
)

// maxIncludeDepth stops runaway `include` recursion with an error instead of exhausting the stack.
const maxIncludeDepth = 1000

// Rendered is the raw output of one template, keyed by "<chart name>/templates/<file>".
type Rendered struct {
	Name   string
	Output string
}

// Render executes every non-partial template of c (or only those named, chart-relative) with the given (already
// coalesced) values. The result is sorted by template name, which is the order in which Helm lists files before
// sorting manifests by kind.
func Render(c *Chart, values Values, release ReleaseOptions, caps *Capabilities, only ...string) (out []Rendered, err error) {
	// text/template reports most failures as errors, but a function may still panic; a chart must never be
	// able to take the host down.
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, fmt.Errorf("render chart %s: %v", c.Metadata.Name, r)
		}
	}()
	set, names, err := parseAll(c)
	if err != nil {
		return nil, err
	}
	ctx := newContext(c, values, release, caps)
	basePath := c.Metadata.Name + "/templates"
	wanted := map[string]bool{}
	for _, o := range only {
		wanted[c.Metadata.Name+"/"+o] = true
	}
	for _, name := range names {
		if strings.HasPrefix(path.Base(name), "_") || (len(wanted) > 0 && !wanted[name]) {
			continue
		}
		ctx["Template"] = Values{"Name": name, "BasePath": basePath}
		var buf strings.Builder
		if err := set.ExecuteTemplate(&buf, name, ctx); err != nil {
			return nil, describeExecError(name, err)
		}
		out = append(out, Rendered{Name: name, Output: strings.ReplaceAll(buf.String(), "<no value>", "")})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out, nil
}

// parseAll parses every template into one set and returns the names in execution order. Parsing happens in
// the same order, so when two files define the same name, the one parsed last wins, as in Helm.
func parseAll(c *Chart) (*template.Template, []string, error) {
	set := template.New("gotpl").Option("missingkey=zero")
	set.Funcs(helmFuncs(set))
	names := make([]string, 0, len(c.Templates))
	sources := map[string]string{}
	for _, t := range c.Templates {
		name := c.Metadata.Name + "/" + t.Name
		names = append(names, name)
		sources[name] = string(t.Data)
	}
	sort.Slice(names, func(i, j int) bool { return executesBefore(names[i], names[j]) })
	for _, name := range names {
		if _, err := set.New(name).Parse(sources[name]); err != nil {
			return nil, nil, describeParseError(name, err)
		}
	}
	return set, names, nil
}

// executesBefore orders deeper paths first and, at equal depth, names in reverse lexical order.
func executesBefore(a, b string) bool {
	da, db := strings.Count(a, "/"), strings.Count(b, "/")
	if da != db {
		return da > db
	}
	return a > b
}

// helmFuncs adds the functions that need the template set (include, tpl) or that report chart errors
// (required, fail) to the base library.
func helmFuncs(set *template.Template) template.FuncMap {
	f := baseFuncs()
	depth := map[string]int{}
	f["include"] = includeFunc(set, depth)
	f["tpl"] = tplFunc(set, depth)
	f["required"] = required
	f["fail"] = func(msg string) (string, error) { return "", &chartError{msg: msg} }
	return f
}

// chartError is a failure the chart asked for (fail, required). Its message is shown as is, without the
// template machinery's "error calling fail:" wrapping.
type chartError struct{ msg string }

func (e *chartError) Error() string { return e.msg }

func required(msg string, v any) (any, error) {
	if v == nil {
		return v, &chartError{msg: msg}
	}
	if s, ok := v.(string); ok && s == "" {
		return v, &chartError{msg: msg}
	}
	return v, nil
}

func includeFunc(set *template.Template, depth map[string]int) func(string, any) (string, error) {
	return func(name string, data any) (string, error) {
		if depth[name] > maxIncludeDepth {
			return "", fmt.Errorf("include %q: nested more than %d times", name, maxIncludeDepth)
		}
		depth[name]++
		defer func() { depth[name]-- }()
		var buf strings.Builder
		err := set.ExecuteTemplate(&buf, name, data)
		return buf.String(), err
	}
}

// tplFunc renders a string as a template with access to every define of the chart. It works on a clone so the
// string's own defines cannot leak into the chart's set.
func tplFunc(parent *template.Template, depth map[string]int) func(string, any) (string, error) {
	return func(text string, data any) (string, error) {
		t, err := parent.Clone()
		if err != nil {
			return "", fmt.Errorf("tpl: %w", err)
		}
		t.Funcs(template.FuncMap{"include": includeFunc(t, depth), "tpl": tplFunc(t, depth)})
		t, err = t.New(parent.Name()).Parse(text)
		if err != nil {
			return "", fmt.Errorf("tpl: parse %q: %w", text, err)
		}
		var buf strings.Builder
		if err := t.Execute(&buf, data); err != nil {
			return "", fmt.Errorf("tpl: execute %q: %w", text, err)
		}
		return strings.ReplaceAll(buf.String(), "<no value>", ""), nil
	}
}

// describeParseError keeps text/template's "name:line: message" location but drops its "template: " prefix.
func describeParseError(name string, err error) error {
	return fmt.Errorf("parse error in %s: %s", name, strings.TrimPrefix(err.Error(), "template: "))
}

// describeExecError turns text/template's error into "execution error in T at (T:LINE:COL): MESSAGE". For
// fail/required the message is the chart's own text.
func describeExecError(name string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "template: ")
	location := name
	if i := strings.Index(msg, ": "); i > 0 {
		location, msg = msg[:i], msg[i+2:]
	}
	var ce *chartError
	if errors.As(err, &ce) {
		msg = ce.msg
	}
	return fmt.Errorf("execution error in %s at (%s): %s", name, location, msg)
}
