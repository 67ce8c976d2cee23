import {
  metadataNames,
  newBuffer,
  newMetadataEntry,
  rewriteTfliteModel,
  readTfliteModel,
} from './tflite-model.js';

/** The `Model.metadata` name under which TFLite (and tasks-vision) looks for `ModelMetadata`. */
export const TFLITE_METADATA = 'TFLITE_METADATA';

/**
 * Returns a copy of `model` with `metadata` (a `ModelMetadata` FlatBuffer) stored as a new entry of
 * `Model.buffers` and listed in `Model.metadata` as TFLITE_METADATA. The graph is not touched.
 */
export function attachModelMetadata(model: Uint8Array, metadata: Uint8Array): Uint8Array {
  if (metadataNames(readTfliteModel(model)).includes(TFLITE_METADATA)) {
    throw new Error('model already carries TFLITE_METADATA');
  }
  return rewriteTfliteModel(model, (builder, layout) => {
    const bufferIndex = layout.buffers.length;
    const buffer = newBuffer(builder, metadata);
    const entry = newMetadataEntry(builder, TFLITE_METADATA, bufferIndex);
    return {
      operatorCodes: layout.operatorCodes.map((pos) => builder.old(pos)),
      subgraphs: layout.subgraphs.map((pos) => builder.old(pos)),
      buffers: [...layout.buffers.map((pos) => builder.old(pos)), buffer],
      metadata: [...layout.metadata.map((pos) => builder.old(pos)), entry],
    };
  });
}
