// What a built-in profile is: a partial MeshConfig spec, layered between the built-in defaults and the user's
// spec. Istio splits a profile in two (an IstioOperator file that enables components, and a chart-level values
// file selected by `values.profile`); meshop has no charts, so each profile here holds both halves, translated
// to the spec paths a user would write (`values.pilot.*`, `values.gateways.<gateway>.*`, `meshConfig.*`).
import type { ReadonlyJsonObject } from '../tree/index.ts';
import type { ProfileName } from './profile-names.ts';

export interface ProfileDefinition {
  readonly name: ProfileName;
  /** One line for `meshop profile list`. */
  readonly description: string;
  /** Spec fragment; the `default` profile's is always applied first, so the others hold only differences. */
  readonly spec: ReadonlyJsonObject;
}
