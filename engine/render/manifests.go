// This file turns rendered template output into manifests: it splits each output into YAML documents and puts
// all documents into the order Helm would install them (by kind), so `meshop` and `helm template` list the
// same objects in the same order.
package render

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// documentSeparator matches a "---" line together with the blank space around it, the way Helm splits.
var documentSeparator = regexp.MustCompile(`(?:^|\s*\n)---\s*`)

// SplitDocuments splits one template's output into its documents, trimmed, dropping empty ones. Documents that
// hold only comments are kept, as Helm keeps them.
func SplitDocuments(output string) []string {
	docs := []string{}
	for _, d := range documentSeparator.Split(strings.TrimSpace(output), -1) {
		if d == "" {
			continue
		}
		docs = append(docs, strings.TrimSpace(d))
	}
	return docs
}

// installOrder is Helm's list of kinds in the order they are installed. Kinds not listed come after all listed
// ones, sorted by kind name.
var installOrder = []string{
	"PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
	"PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
	"PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
	"ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service",
	"DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
	"StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
}

var installRank = func() map[string]int {
	r := make(map[string]int, len(installOrder))
	for i, k := range installOrder {
		r[k] = i
	}
	return r
}()

// Manifest is one document of the chart's output.
type Manifest struct {
	Template string `json:"template"`
	Kind     string `json:"kind"`
	Document string `json:"document"`
}

// head is the part of a document the ordering needs.
type head struct {
	Kind     string `json:"kind"`
	Metadata *struct {
		Annotations map[string]string `json:"annotations"`
	} `json:"metadata"`
}

// OrderManifests lists every document of every template in Helm's install order: by kind rank, and within one
// rank (or one unknown kind) in template-name then document order. Hooks are not supported: a document with a
// helm.sh/hook annotation is an error rather than being silently installed with the rest.
func OrderManifests(rendered []Rendered) ([]Manifest, error) {
	var out []Manifest
	for _, r := range rendered {
		for _, doc := range SplitDocuments(r.Output) {
			var h head
			if err := yaml.Unmarshal([]byte(doc), &h); err != nil {
				return nil, fmt.Errorf("YAML parse error in %s: %w", r.Name, err)
			}
			if h.Metadata != nil && h.Metadata.Annotations["helm.sh/hook"] != "" {
				return nil, fmt.Errorf("%s: Helm hooks are not supported", r.Name)
			}
			out = append(out, Manifest{Template: r.Name, Kind: h.Kind, Document: doc})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return kindBefore(out[i].Kind, out[j].Kind) })
	return out, nil
}

func kindBefore(a, b string) bool {
	ra, aKnown := installRank[a]
	rb, bKnown := installRank[b]
	switch {
	case aKnown && bKnown:
		return ra < rb
	case aKnown != bKnown:
		return aKnown
	default:
		return a < b
	}
}
