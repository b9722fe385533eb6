// The JSON protocol between TypeScript and the Go chart engine (engine/render/request.go): the typed request
// and result, and a checked decoding of the engine's response so nothing untyped escapes into the code base.
import type { JsonObject } from '../tree/index.ts';
import type { ChartSource } from './chart.ts';

/** Release settings, as `helm template --namespace NS NAME` would give them. */
export interface ReleaseOptions {
  readonly name: string;
  readonly namespace: string;
  /** Helm's release revision; 1 (a first install) when omitted. */
  readonly revision?: number;
  /** Marks the render as an upgrade (.Release.IsUpgrade true, .Release.IsInstall false). */
  readonly isUpgrade?: boolean;
}

/** What the chart may know of the cluster: .Capabilities.KubeVersion and .Capabilities.APIVersions. */
export interface ClusterCapabilities {
  /** e.g. "v1.33.0"; Helm's own default, v1.20.0, when omitted. */
  readonly kubeVersion?: string;
  /** group/version strings ("apps/v1"); "v1" is always included. */
  readonly apiVersions?: readonly string[];
}

export interface RenderRequest {
  readonly chart: ChartSource;
  /** The user's values; coalesced over the chart's values.yaml as Helm does. */
  readonly values?: JsonObject;
  readonly release: ReleaseOptions;
  readonly capabilities?: ClusterCapabilities;
  /** Execute only these templates (chart-relative, "templates/service.yaml"); all when omitted. */
  readonly only?: readonly string[];
}

/** One template's output, keyed by "<chart name>/templates/<file>". */
export interface RenderedTemplate {
  readonly name: string;
  /** The text exactly as Helm would produce it. */
  readonly output: string;
  /** The output split on `---`, trimmed, empty documents dropped (comment-only ones are kept, as Helm does). */
  readonly documents: readonly string[];
}

/** One document, in the list ordered the way Helm installs them (by kind, then template name). */
export interface RenderedManifest {
  readonly template: string;
  /** The document's kind, "" for a comment-only document. */
  readonly kind: string;
  readonly document: string;
}

export interface RenderResult {
  /** The chart's name from Chart.yaml. */
  readonly chart: string;
  /** Every non-partial template except NOTES.txt, sorted by name. */
  readonly templates: readonly RenderedTemplate[];
  readonly manifests: readonly RenderedManifest[];
  /** The rendered NOTES.txt, "" when the chart has none. */
  readonly notes: string;
}

/** Serialises a request; file contents travel as base64, which Go decodes straight into bytes. */
export function encodeRequest(request: RenderRequest): Uint8Array {
  const wire = {
    files: request.chart.files.map((f) => ({ name: f.name, data: Buffer.from(f.data).toString('base64') })),
    values: request.values ?? {},
    release: { revision: 0, isUpgrade: false, ...request.release },
    capabilities: request.capabilities ?? {},
    ...(request.only ? { only: request.only } : {}),
  };
  return new TextEncoder().encode(JSON.stringify(wire));
}

/** Decodes a response, throwing the engine's error (prefixed with `what`) when it reports one. */
export function decodeResponse(bytes: Uint8Array, what: string): RenderResult {
  const raw: unknown = JSON.parse(new TextDecoder().decode(bytes));
  const body = asRecord(raw, 'response');
  if (typeof body.error === 'string') throw new Error(`${what}: ${body.error}`);
  return {
    chart: asString(body.chart, 'chart'),
    templates: asArray(body.templates).map((t) => {
      const r = asRecord(t, 'template');
      return {
        name: asString(r.name, 'name'),
        output: asString(r.output ?? '', 'output'),
        documents: asStrings(r.documents),
      };
    }),
    manifests: asArray(body.manifests).map((m) => {
      const r = asRecord(m, 'manifest');
      return {
        template: asString(r.template, 'template'),
        kind: asString(r.kind, 'kind'),
        document: asString(r.document, 'document'),
      };
    }),
    notes: asString(body.notes ?? '', 'notes'),
  };
}

function asRecord(v: unknown, what: string): Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v))
    throw new Error(`chart engine: malformed ${what}`);
  return v as Record<string, unknown>;
}

// Go omits empty lists, so a missing list is an empty one.
function asArray(v: unknown): unknown[] {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) throw new Error('chart engine: malformed list');
  return v;
}

function asStrings(v: unknown): string[] {
  return asArray(v).map((s) => asString(s, 'document'));
}

function asString(v: unknown, what: string): string {
  if (typeof v !== 'string') throw new Error(`chart engine: malformed ${what}`);
  return v;
}
