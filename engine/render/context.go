// This file builds the objects a template sees at the top level: .Values, .Release, .Chart, .Capabilities,
// .Files, .Template and .Subcharts, with the Go types Helm gives them (methods such as
// .Capabilities.APIVersions.Has and .Capabilities.KubeVersion.GitVersion exist only on those types).
package render

import "fmt"

// ReleaseOptions describe the release being rendered, as `helm template` flags would.
type ReleaseOptions struct {
	Name      string `json:"name"`
	Namespace string `json:"namespace"`
	Revision  int    `json:"revision"`
	IsUpgrade bool   `json:"isUpgrade"`
}

// Capabilities describe the cluster the chart is rendered for.
type Capabilities struct {
	KubeVersion KubeVersion
	APIVersions VersionSet
}

// KubeVersion is the cluster's Kubernetes version; Version is the full "v1.33.0" form.
type KubeVersion struct {
	Version string
	Major   string
	Minor   string
}

// String and GitVersion both return the full version: charts written for older Helm still call GitVersion
// (Istio's CNI chart looks for "-gke" in it).
func (k *KubeVersion) String() string     { return k.Version }
func (k *KubeVersion) GitVersion() string { return k.Version }

// VersionSet is the list of API group/versions the cluster serves.
type VersionSet []string

// Has reports whether a group/version (or group/version/Kind) is served.
func (v VersionSet) Has(apiVersion string) bool {
	for _, x := range v {
		if x == apiVersion {
			return true
		}
	}
	return false
}

// ParseKubeVersion accepts "v1.33.0", "1.33" or "v1.33.2-gke.100" and splits out major and minor. The full
// string is kept as given (with a leading "v"), so suffixes such as "-gke.100" stay visible to templates.
func ParseKubeVersion(s string) (KubeVersion, error) {
	var major, minor int
	if _, err := fmt.Sscanf(trimV(s), "%d.%d", &major, &minor); err != nil {
		return KubeVersion{}, fmt.Errorf("kube version %q: want v<major>.<minor>[.<patch>]", s)
	}
	return KubeVersion{Version: "v" + trimV(s), Major: fmt.Sprint(major), Minor: fmt.Sprint(minor)}, nil
}

func trimV(s string) string {
	if len(s) > 0 && s[0] == 'v' {
		return s[1:]
	}
	return s
}

// chartInfo is .Chart: the metadata fields plus IsRoot, which Helm adds so a subchart can tell it is one.
type chartInfo struct {
	Metadata
	IsRoot bool
}

// newContext returns the top-level object shared by every template of the chart. It is shared on purpose:
// Helm executes all templates against one map, and Istio's charts depend on that (zzz_profile.yaml, executed
// first, replaces .Values for every later template).
func newContext(c *Chart, values Values, release ReleaseOptions, caps *Capabilities) Values {
	return Values{
		"Chart":        chartInfo{Metadata: c.Metadata, IsRoot: true},
		"Files":        newFiles(c.Files),
		"Capabilities": caps,
		"Values":       values,
		"Subcharts":    map[string]any{},
		"Release": map[string]any{
			"Name":      release.Name,
			"Namespace": release.Namespace,
			"IsUpgrade": release.IsUpgrade,
			"IsInstall": !release.IsUpgrade,
			"Revision":  release.Revision,
			"Service":   "Helm",
		},
	}
}
