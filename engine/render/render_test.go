// Native tests of the engine's Helm rules; the TypeScript tests cover the same contract through WebAssembly, and
// helmcheck/ compares with Helm itself on Istio's charts.
package render

import (
	"reflect"
	"strings"
	"testing"
)

func chartOf(templates map[string]string) []File {
	files := []File{{Name: "Chart.yaml", Data: []byte("name: t\nversion: 1.0.0\n")}, {Name: "values.yaml", Data: []byte("a: {b: 1}\nempty: {}\n")}}
	for name, body := range templates {
		files = append(files, File{Name: "templates/" + name, Data: []byte(body)})
	}
	return files
}

func renderOne(t *testing.T, templates map[string]string, values map[string]any) map[string]string {
	t.Helper()
	resp, err := RenderRequest(Request{Files: chartOf(templates), Values: values, Release: ReleaseOptions{Name: "r", Namespace: "ns"}})
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, tpl := range resp.Templates {
		out[strings.TrimPrefix(tpl.Name, "t/templates/")] = tpl.Output
	}
	return out
}

func TestMissingValuesPrintEmptyAndEmptyMapsPrintBraces(t *testing.T) {
	out := renderOne(t, map[string]string{"x.yaml": `x: "[{{ .Values.nope }}][{{ .Values.a.nope }}][{{ toYaml .Values.empty }}]"`}, nil)
	if got := out["x.yaml"]; got != `x: "[][][{}]"` {
		t.Errorf("got %q", got)
	}
}

func TestExecutionOrderLetsLaterNamesRewriteValuesFirst(t *testing.T) {
	out := renderOne(t, map[string]string{
		"a.yaml":   `a: {{ .Values.a.b }}`,
		"zzz.yaml": `{{- $_ := set $ "Values" (dict "a" (dict "b" "rewritten")) }}`,
	}, nil)
	if out["a.yaml"] != "a: rewritten" {
		t.Errorf("a.yaml = %q; zzz.yaml should have run first", out["a.yaml"])
	}
}

func TestUserNullDeletesChartKey(t *testing.T) {
	got, err := CoalesceValues(map[string]any{"a": map[string]any{"b": 1.0, "c": 2.0}}, map[string]any{"a": map[string]any{"b": nil}})
	if err != nil {
		t.Fatal(err)
	}
	if want := (Values{"a": map[string]any{"c": 2.0}}); !reflect.DeepEqual(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestFailNamesTemplateAndLine(t *testing.T) {
	_, err := RenderRequest(Request{Files: chartOf(map[string]string{"x.yaml": "a: 1\n{{ fail \"stop here\" }}"})})
	if err == nil || !strings.Contains(err.Error(), "t/templates/x.yaml:2:") || !strings.HasSuffix(err.Error(), ": stop here") {
		t.Errorf("err = %v", err)
	}
}

func TestSplitDocuments(t *testing.T) {
	got := SplitDocuments("---\na: 1\n---\n\n---  \nb: 2\n---\n")
	if want := []string{"a: 1", "---  \nb: 2"}; !reflect.DeepEqual(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestOnlyExecutesTheNamedTemplatesWithPartialsAvailable(t *testing.T) {
	resp, err := RenderRequest(Request{
		Files: chartOf(map[string]string{
			"_h.tpl": `{{ define "h" }}helped{{ end }}`,
			"a.yaml": `a: {{ include "h" . }}`,
			"b.yaml": `{{ fail "b must not run" }}`,
		}),
		Release: ReleaseOptions{Name: "r", Namespace: "ns"},
		Only:    []string{"templates/a.yaml"},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Templates) != 1 || resp.Templates[0].Name != "t/templates/a.yaml" || resp.Templates[0].Output != "a: helped" {
		t.Errorf("got %+v", resp.Templates)
	}
}
