/** Export of trained networks: a standard TensorFlow.js LayersModel, and the same graph as an ONNX model. */
export { exportGenerator, type ExportedInput, type ExportedModel, type ExportOptions } from './generator-export';
export { generatorToOnnx, OnnxExportError, OPSET, type OnnxGenerator, type OnnxGeneratorOptions, type OnnxTensorSpec } from './onnx';
