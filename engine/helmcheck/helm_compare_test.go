// Compares our engine with Helm's on Istio's real charts, template by template and in install order.
// The charts come from the istio.io/istio modules in the module cache; set ISTIO_CHARTS to a colon-separated
// list of .../manifests/charts directories to choose them (default: every istio.io/istio@* in GOMODCACHE).
package helmcheck

import (
	"encoding/json"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strconv"
	"strings"
	"testing"

	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/chartutil"
	"helm.sh/helm/v3/pkg/engine"
	"helm.sh/helm/v3/pkg/releaseutil"

	"meshop.local/chart-engine/render"
)

// valueSets are the user values each chart is rendered with: defaults, and settings that exercise revisions,
// profiles and the gateway's naming.
var valueSets = map[string]string{
	"defaults": `{}`,
	"revision": `{"revision": "canary", "global": {"hub": "example.com/istio", "tag": "1.2.3"}}`,
	"ambient":  `{"profile": "ambient", "revision": "1-31", "global": {"istioNamespace": "mesh"}}`,
	"gateway":  `{"name": "edge-gw", "revision": "canary", "service": {"type": "ClusterIP"}}`,
	"nulls":    `{"global": {"proxy": null}, "pilot": {"autoscaleEnabled": false}}`,
	"leafNull": `{"global": {"proxy": {"privileged": null}, "logAsJson": true}, "resources": null, "autoscaleMin": 2}`,
}

var charts = []string{"base", "gateway", "ztunnel", "istio-cni", "istio-control/istio-discovery"}

func chartRoots(t *testing.T) []string {
	if env := os.Getenv("ISTIO_CHARTS"); env != "" {
		return strings.Split(env, ":")
	}
	modcache := os.Getenv("GOMODCACHE")
	if modcache == "" {
		modcache = filepath.Join(os.Getenv("HOME"), "go", "pkg", "mod")
	}
	roots, _ := filepath.Glob(filepath.Join(modcache, "istio.io", "istio@*", "manifests", "charts"))
	if len(roots) == 0 {
		t.Skip("no istio.io/istio module in the module cache")
	}
	return roots
}

func TestMatchesHelm(t *testing.T) {
	for _, root := range chartRoots(t) {
		for _, chartDir := range charts {
			for setName, values := range valueSets {
				name := filepath.Base(filepath.Dir(filepath.Dir(root))) + "/" + chartDir + "/" + setName
				t.Run(name, func(t *testing.T) { compareChart(t, filepath.Join(root, chartDir), values) })
			}
		}
	}
}

func compareChart(t *testing.T, dir, valuesJSON string) {
	var user map[string]any
	if err := json.Unmarshal([]byte(valuesJSON), &user); err != nil {
		t.Fatal(err)
	}
	want, wantOrder, helmErr := renderWithHelm(t, dir, user)
	got, gotOrder, ourErr := renderWithOurs(t, dir, user)
	if (helmErr != nil) != (ourErr != nil) {
		t.Fatalf("helm error: %v\nour error: %v", helmErr, ourErr)
	}
	if helmErr != nil {
		t.Logf("both failed as expected:\nhelm: %v\nours: %v", helmErr, ourErr)
		return
	}
	for _, name := range sortedKeys(want) {
		if got[name] != want[name] {
			t.Errorf("%s differs:\n%s", name, firstDifference(want[name], got[name]))
		}
	}
	if !reflect.DeepEqual(sortedKeys(want), sortedKeys(got)) {
		t.Errorf("template sets differ: helm %v, ours %v", sortedKeys(want), sortedKeys(got))
	}
	if !reflect.DeepEqual(wantOrder, gotOrder) {
		t.Errorf("manifest order differs:\nhelm %v\nours %v", wantOrder, gotOrder)
	}
}

func renderWithHelm(t *testing.T, dir string, user map[string]any) (map[string]string, []string, error) {
	c, err := loader.LoadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	opts := chartutil.ReleaseOptions{Name: "istio", Namespace: "istio-system", Revision: 1, IsInstall: true}
	top, err := chartutil.ToRenderValues(c, user, opts, chartutil.DefaultCapabilities.Copy())
	if err != nil {
		return nil, nil, err
	}
	out, err := engine.Render(c, top)
	if err != nil {
		return nil, nil, err
	}
	for name := range out {
		if strings.HasSuffix(name, "NOTES.txt") || strings.HasPrefix(filepath.Base(name), "_") {
			delete(out, name)
		}
	}
	_, manifests, err := releaseutil.SortManifests(out, nil, releaseutil.InstallOrder)
	if err != nil {
		return nil, nil, err
	}
	order := make([]string, 0, len(manifests))
	for _, m := range manifests {
		order = append(order, m.Name+"|"+m.Content)
	}
	return out, order, nil
}

func renderWithOurs(t *testing.T, dir string, user map[string]any) (map[string]string, []string, error) {
	req := render.Request{Files: readDir(t, dir), Values: user, Release: render.ReleaseOptions{Name: "istio", Namespace: "istio-system"}}
	resp, err := render.RenderRequest(req)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]string{}
	for _, tpl := range resp.Templates {
		out[tpl.Name] = tpl.Output
	}
	order := make([]string, 0, len(resp.Manifests))
	for _, m := range resp.Manifests {
		order = append(order, m.Template+"|"+m.Document)
	}
	return out, order, nil
}

func readDir(t *testing.T, dir string) []render.File {
	var files []render.File
	err := filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files = append(files, render.File{Name: filepath.ToSlash(rel), Data: data})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func firstDifference(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var w, g string
		if i < len(wl) {
			w = wl[i]
		}
		if i < len(gl) {
			g = gl[i]
		}
		if w != g {
			return "line " + strconv.Itoa(i+1) + ":\nhelm: " + w + "\nours: " + g
		}
	}
	return "(identical lines, different bytes)"
}
