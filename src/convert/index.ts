// src/convert: IstioOperator documents to MeshConfig, reporting everything that does not carry over. Pure: the
// caller reads the files and passes in the profile names and catalogued releases.
export { ConversionError } from './conversion-error.ts';
export { convertIstioOperator } from './convert-istio-operator.ts';
export type { ConversionResult, ConvertContext } from './convert-istio-operator.ts';
export type { DroppedField } from './dropped-field.ts';
export {
  IstioOperatorApiVersion,
  IstioOperatorKind,
  mergeIstioOperators,
  readIstioOperator,
} from './istio-operator.ts';
export type { CataloguedTag } from './version-inference.ts';
