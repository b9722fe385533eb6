// Checks our value coalescing against Helm's on the cases where Helm's rules are subtle (nulls, type clashes).
package helmcheck

import (
	"encoding/json"
	"reflect"
	"testing"

	"helm.sh/helm/v3/pkg/chart"
	"helm.sh/helm/v3/pkg/chartutil"

	"meshop.local/chart-engine/render"
)

func TestCoalesceMatchesHelm(t *testing.T) {
	defaults := `{"a": 1, "n": null, "m": {"x": 1, "y": {"z": 2}, "n": null, "s": "s"}, "t": {"k": 1}, "u": "str"}`
	cases := map[string]string{
		"empty":             `{}`,
		"override":          `{"a": 2, "m": {"x": 5}}`,
		"top null deletes":  `{"a": null, "n": null, "extra": null}`,
		"nested null":       `{"m": {"x": null, "n": null, "new": null, "y": null}}`,
		"table over scalar": `{"u": {"k": 1}}`,
		"scalar over table": `{"t": "flat", "m": {"y": 3}}`,
		"new keys kept":     `{"other": {"deep": [1, 2]}}`,
		"internal defaults": `{"_internal_defaults_do_not_set": {"a": 9}}`,
	}
	for name, userJSON := range cases {
		t.Run(name, func(t *testing.T) {
			chartValues, user := decode(t, defaults), decode(t, userJSON)
			want, err := chartutil.CoalesceValues(&chart.Chart{Metadata: &chart.Metadata{Name: "c"}, Values: chartValues}, user)
			if err != nil {
				t.Fatal(err)
			}
			got, err := render.CoalesceValues(decode(t, defaults), decode(t, userJSON))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(map[string]any(want), map[string]any(got)) {
				t.Errorf("helm %v\nours %v", want, got)
			}
		})
	}
}

func decode(t *testing.T, s string) map[string]any {
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatal(err)
	}
	return m
}
