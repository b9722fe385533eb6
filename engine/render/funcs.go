// This file assembles the template function library: sprig's, minus what Helm takes out, plus the functions Helm
// adds (serialisation helpers here; include, tpl, required and fail in engine.go, because they need the template
// set or produce errors the engine reports specially).
package render

import (
	"bytes"
	"encoding/json"
	"strings"
	"text/template"

	"github.com/Masterminds/sprig/v3"
	"sigs.k8s.io/yaml"
	goyaml "sigs.k8s.io/yaml/goyaml.v3"
)

// baseFuncs returns the functions that do not depend on the template set being executed.
func baseFuncs() template.FuncMap {
	f := sprig.TxtFuncMap()
	// Helm removes environment access: a chart's output must not depend on the machine rendering it.
	delete(f, "env")
	delete(f, "expandenv")
	// Helm answers DNS lookups with "" unless told otherwise; `helm template` never resolves.
	f["getHostByName"] = func(string) string { return "" }
	f["toYaml"] = toYAML
	f["toYamlPretty"] = toYAMLPretty
	f["fromYaml"] = fromYAML
	f["fromYamlArray"] = fromYAMLArray
	f["toJson"] = toJSON
	f["fromJson"] = fromJSON
	f["fromJsonArray"] = fromJSONArray
	// Offline rendering has no cluster to look in, so every lookup finds nothing (as in `helm template`).
	f["lookup"] = func(string, string, string, string) (map[string]any, error) { return map[string]any{}, nil }
	return f
}

// toYAML is Helm's toYaml: Kubernetes-style YAML (through JSON, so keys are sorted and an empty map prints as
// `{}`), without the final newline, and "" if the value cannot be serialised.
func toYAML(v any) string {
	data, err := yaml.Marshal(v)
	if err != nil {
		return ""
	}
	return strings.TrimSuffix(string(data), "\n")
}

// toYAMLPretty indents sequences under their key, which plain toYaml does not.
func toYAMLPretty(v any) string {
	var buf bytes.Buffer
	enc := goyaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}

// The from* functions never fail a template: a parse error comes back inside the result, under "Error" for maps
// and as the only element for lists, which is the contract charts written for Helm expect.
func fromYAML(s string) map[string]any {
	m := map[string]any{}
	if err := yaml.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromYAMLArray(s string) []any {
	a := []any{}
	if err := yaml.Unmarshal([]byte(s), &a); err != nil {
		a = []any{err.Error()}
	}
	return a
}

func toJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return string(data)
}

func fromJSON(s string) map[string]any {
	m := map[string]any{}
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		m["Error"] = err.Error()
	}
	return m
}

func fromJSONArray(s string) []any {
	a := []any{}
	if err := json.Unmarshal([]byte(s), &a); err != nil {
		a = []any{err.Error()}
	}
	return a
}
