// Package render evaluates a Helm chart the way `helm template` does, using Go's own text/template and the sprig
// function library, without Helm itself (whose engine drags in client-go and would make the WebAssembly build
// several times larger). It implements the part of Helm's rendering contract that Istio's charts rely on.
//
// This file turns a chart's files into a Chart: metadata from Chart.yaml, defaults from values.yaml, templates,
// and the remaining files that templates reach through .Files.
package render

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"sigs.k8s.io/yaml"
)

// File is one file of a chart, named by its slash-separated path relative to the chart directory.
type File struct {
	Name string `json:"name"`
	Data []byte `json:"data"`
}

// Metadata holds the fields of Chart.yaml. Field names match Helm's so that `.Chart.AppVersion` and friends
// resolve in templates, and absent fields print as Helm prints them (zero values, not "<no value>").
type Metadata struct {
	Name         string            `json:"name,omitempty"`
	Home         string            `json:"home,omitempty"`
	Sources      []string          `json:"sources,omitempty"`
	Version      string            `json:"version,omitempty"`
	Description  string            `json:"description,omitempty"`
	Keywords     []string          `json:"keywords,omitempty"`
	Maintainers  []*Maintainer     `json:"maintainers,omitempty"`
	Icon         string            `json:"icon,omitempty"`
	APIVersion   string            `json:"apiVersion,omitempty"`
	Condition    string            `json:"condition,omitempty"`
	Tags         string            `json:"tags,omitempty"`
	AppVersion   string            `json:"appVersion,omitempty"`
	Deprecated   bool              `json:"deprecated,omitempty"`
	Annotations  map[string]string `json:"annotations,omitempty"`
	KubeVersion  string            `json:"kubeVersion,omitempty"`
	Dependencies []any             `json:"dependencies,omitempty"`
	Type         string            `json:"type,omitempty"`
}

// Maintainer is one entry of Chart.yaml's maintainers list.
type Maintainer struct {
	Name  string `json:"name,omitempty"`
	Email string `json:"email,omitempty"`
	URL   string `json:"url,omitempty"`
}

// Chart is a loaded chart: everything rendering needs and nothing else.
type Chart struct {
	Metadata  Metadata
	Values    map[string]any
	Templates []File // sorted by name
	Files     []File // everything that is neither metadata, values nor a template
}

// LoadChart classifies the files of one chart directory. Features Istio's charts do not use and that would change
// the output if silently ignored (subcharts, dependencies, .helmignore rules, library charts) are refused.
func LoadChart(files []File) (*Chart, error) {
	c := &Chart{Values: map[string]any{}}
	seenChartYAML := false
	for _, f := range files {
		if err := c.add(f, &seenChartYAML); err != nil {
			return nil, err
		}
	}
	if !seenChartYAML {
		return nil, fmt.Errorf("load chart: Chart.yaml is missing")
	}
	if err := c.checkSupported(); err != nil {
		return nil, err
	}
	sort.Slice(c.Templates, func(i, j int) bool { return c.Templates[i].Name < c.Templates[j].Name })
	sort.Slice(c.Files, func(i, j int) bool { return c.Files[i].Name < c.Files[j].Name })
	return c, nil
}

func (c *Chart) add(f File, seenChartYAML *bool) error {
	switch {
	case f.Name == "Chart.yaml":
		*seenChartYAML = true
		if err := yaml.Unmarshal(f.Data, &c.Metadata); err != nil {
			return fmt.Errorf("load chart: Chart.yaml: %w", err)
		}
		if c.Metadata.APIVersion == "" {
			c.Metadata.APIVersion = "v1" // what Helm assumes for charts that predate apiVersion
		}
	case f.Name == "values.yaml":
		if err := yaml.Unmarshal(f.Data, &c.Values); err != nil {
			return fmt.Errorf("load chart: values.yaml: %w", err)
		}
		if c.Values == nil { // a values.yaml holding only comments
			c.Values = map[string]any{}
		}
	case f.Name == "values.schema.json", f.Name == "Chart.lock":
		// Not used for rendering (schema validation is not implemented; see the ADR).
	case f.Name == ".helmignore", f.Name == "requirements.yaml", f.Name == "requirements.lock",
		strings.HasPrefix(f.Name, "charts/"):
		return fmt.Errorf("load chart: %s: subcharts, dependencies and .helmignore are not supported", f.Name)
	case strings.HasPrefix(f.Name, "templates/"):
		// Helm always ignores hidden files under templates/.
		if !strings.HasPrefix(path.Base(f.Name), ".") {
			c.Templates = append(c.Templates, f)
		}
	default:
		c.Files = append(c.Files, f)
	}
	return nil
}

func (c *Chart) checkSupported() error {
	if c.Metadata.Name == "" {
		return fmt.Errorf("load chart: Chart.yaml has no name")
	}
	if len(c.Metadata.Dependencies) > 0 {
		return fmt.Errorf("load chart %s: dependencies are not supported", c.Metadata.Name)
	}
	if c.Metadata.Type == "library" {
		return fmt.Errorf("load chart %s: library charts cannot be rendered", c.Metadata.Name)
	}
	return nil
}
