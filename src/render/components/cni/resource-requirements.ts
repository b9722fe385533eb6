// Container resources as the node-agent charts write them: only `limits` and `requests`, and only the entries
// with a value, so a `cpu: null` or `cpu: ""` in the values removes that entry instead of rendering it empty.
import type { JsonObject, ReadonlyJsonObject } from '../../../tree/index.ts';
import { isJsonObject } from '../../../tree/index.ts';

function setEntries(group: ReadonlyJsonObject): JsonObject {
  const out: JsonObject = {};
  for (const [name, value] of Object.entries(group)) {
    if (value !== null && value !== '' && value !== 0 && value !== false)
      out[name] = value as JsonObject[string];
  }
  return out;
}

export function resourceRequirements(resources: ReadonlyJsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of ['limits', 'requests'] as const) {
    const group = resources[key];
    if (!isJsonObject(group)) continue;
    const entries = setEntries(group);
    if (Object.keys(entries).length > 0) out[key] = entries;
  }
  return out;
}
