// This file merges the user's values over the chart's values.yaml with Helm's precedence rules, so that templates
// see exactly the .Values a `helm template -f user.yaml` run would give them.
package render

import "encoding/json"

// Values is the type of the render context and of .Values. It is a named map type, as in Helm: sprig's merge
// functions (mergo underneath) compare argument types, so templates such as Istio's zzz_profile.yaml only behave
// as under Helm if the named type is the same kind of thing here.
type Values map[string]any

// CoalesceValues returns the user's values with the chart's defaults filled in underneath. The inputs are left
// untouched. Rules, in Helm's words of behaviour:
//   - a key only the chart sets is copied in;
//   - where both sides hold maps, they are merged key by key, recursively;
//   - otherwise the user's value wins, even when the types differ;
//   - a user null removes the key when the chart had a non-null value there, and stays null otherwise.
func CoalesceValues(chartValues, userValues map[string]any) (Values, error) {
	user, err := deepCopyMap(userValues)
	if err != nil {
		return nil, err
	}
	defaults, err := deepCopyMap(chartValues)
	if err != nil {
		return nil, err
	}
	coalesceTop(user, defaults)
	return Values(user), nil
}

// coalesceTop is the first level. It differs from the nested levels in one way Helm has: a user null at the top
// removes the key whenever the chart knows the key, whatever the chart's value.
func coalesceTop(user, defaults map[string]any) {
	for key, def := range defaults {
		mine, present := user[key]
		switch {
		case !present:
			user[key] = def
		case mine == nil:
			delete(user, key)
		default:
			mineMap, mineIsMap := mine.(map[string]any)
			defMap, defIsMap := def.(map[string]any)
			if mineIsMap && defIsMap {
				coalesceNested(mineMap, defMap)
			}
		}
	}
}

func coalesceNested(user, defaults map[string]any) {
	for key, def := range defaults {
		mine, present := user[key]
		switch {
		case !present:
			user[key] = def
		case mine == nil:
			if def != nil {
				delete(user, key)
			}
		default:
			mineMap, mineIsMap := mine.(map[string]any)
			defMap, defIsMap := def.(map[string]any)
			if mineIsMap && defIsMap {
				coalesceNested(mineMap, defMap)
			}
		}
	}
}

// deepCopyMap copies a JSON-shaped tree. Values come from JSON or YAML, so a JSON round trip is an exact copy
// (numbers are float64 on both sides, as Helm's YAML loader produces them).
func deepCopyMap(m map[string]any) (map[string]any, error) {
	if m == nil {
		return map[string]any{}, nil
	}
	raw, err := json.Marshal(m)
	if err != nil {
		return nil, err
	}
	out := map[string]any{}
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, err
	}
	return out, nil
}
