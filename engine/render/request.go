// This file is the engine's wire protocol: one JSON request in, one JSON response out. The WebAssembly entry
// point and the native command both go through Handle, so they cannot drift apart.
package render

import (
	"encoding/json"
	"fmt"
)

// Request asks for one chart to be rendered.
type Request struct {
	Files        []File          `json:"files"`        // the chart directory's files; data is base64 in JSON
	Values       map[string]any  `json:"values"`       // the user's values, coalesced over values.yaml
	Release      ReleaseOptions  `json:"release"`      // revision 0 means 1, as for a first install
	Capabilities CapabilitiesReq `json:"capabilities"` // kubeVersion defaults to v1.20.0, Helm's own default
	// Only names the templates to execute (chart-relative, "templates/service.yaml"); all when empty. Partials
	// are always parsed, so an included helper works the same either way.
	Only []string `json:"only,omitempty"`
}

// CapabilitiesReq is the wire form of Capabilities.
type CapabilitiesReq struct {
	KubeVersion string   `json:"kubeVersion"`
	APIVersions []string `json:"apiVersions"`
}

// TemplateOutput is the rendered text of one template and the documents it splits into.
type TemplateOutput struct {
	Name      string   `json:"name"`
	Output    string   `json:"output"`
	Documents []string `json:"documents"`
}

// Response carries either the rendering or an error message.
type Response struct {
	Chart     string           `json:"chart,omitempty"`
	Templates []TemplateOutput `json:"templates,omitempty"`
	Manifests []Manifest       `json:"manifests,omitempty"`
	Notes     string           `json:"notes,omitempty"` // the rendered NOTES.txt, which is not a manifest
	Error     string           `json:"error,omitempty"`
}

// Handle decodes a request, renders, and encodes the response. It never returns an error: failures travel in
// Response.Error so the caller sees them as data.
func Handle(input []byte) []byte {
	resp, err := handle(input)
	if err != nil {
		resp = Response{Error: err.Error()}
	}
	out, err := json.Marshal(resp)
	if err != nil {
		out, _ = json.Marshal(Response{Error: fmt.Sprintf("encode response: %v", err)})
	}
	return out
}

func handle(input []byte) (Response, error) {
	var req Request
	if err := json.Unmarshal(input, &req); err != nil {
		return Response{}, fmt.Errorf("decode request: %w", err)
	}
	return RenderRequest(req)
}

// RenderRequest loads the chart, coalesces values, renders and orders the manifests.
func RenderRequest(req Request) (Response, error) {
	c, err := LoadChart(req.Files)
	if err != nil {
		return Response{}, err
	}
	caps, err := capabilities(req.Capabilities)
	if err != nil {
		return Response{}, err
	}
	values, err := CoalesceValues(c.Values, req.Values)
	if err != nil {
		return Response{}, fmt.Errorf("coalesce values of chart %s: %w", c.Metadata.Name, err)
	}
	if req.Release.Revision == 0 {
		req.Release.Revision = 1
	}
	rendered, err := Render(c, values, req.Release, caps, req.Only...)
	if err != nil {
		return Response{}, err
	}
	// NOTES.txt is executed like any template (a failure in it fails the release under Helm too), but it is
	// text for the user, not a manifest.
	resp := Response{Chart: c.Metadata.Name}
	kept := rendered[:0:0]
	for _, r := range rendered {
		if r.Name == c.Metadata.Name+"/templates/NOTES.txt" {
			resp.Notes = r.Output
			continue
		}
		kept = append(kept, r)
	}
	rendered = kept
	manifests, err := OrderManifests(rendered)
	if err != nil {
		return Response{}, err
	}
	resp.Manifests = manifests
	for _, r := range rendered {
		resp.Templates = append(resp.Templates, TemplateOutput{Name: r.Name, Output: r.Output, Documents: SplitDocuments(r.Output)})
	}
	return resp, nil
}

func capabilities(req CapabilitiesReq) (*Capabilities, error) {
	version := req.KubeVersion
	if version == "" {
		version = "v1.20.0"
	}
	kv, err := ParseKubeVersion(version)
	if err != nil {
		return nil, err
	}
	apis := VersionSet{"v1"}
	for _, a := range req.APIVersions {
		if !apis.Has(a) {
			apis = append(apis, a)
		}
	}
	return &Capabilities{KubeVersion: kv, APIVersions: apis}, nil
}
