/** Export of trained networks: a standard TensorFlow.js LayersModel, and the same graph as an ONNX model. */
export { exportGenerator, type ExportedInput, type ExportedModel, type ExportOptions } from './generator-export';
export { exportTranslator, type ExportedTranslator, type TranslatorExportOptions } from './translator-export';
export {
  generatorToOnnx,
  OnnxExportError,
  OPSET,
  translatorToOnnx,
  type OnnxGenerator,
  type OnnxGeneratorOptions,
  type OnnxTensorSpec,
  type OnnxTranslator,
  type OnnxTranslatorOptions,
} from './onnx';
