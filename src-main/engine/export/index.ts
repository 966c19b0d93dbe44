/** Export of trained networks to standard TensorFlow.js formats. */
export { exportGenerator, type ExportedInput, type ExportedModel, type ExportOptions } from './generator-export';
