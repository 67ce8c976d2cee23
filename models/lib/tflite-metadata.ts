import { freshBuilder, type EmbeddingBuilder } from './embedding-builder.js';

/**
 * Builds a TFLite `ModelMetadata` FlatBuffer (file identifier `M001`) from the facts of the public
 * metadata schema (tensorflow/tflite-support, metadata_schema.fbs). Field ids are written by hand;
 * only what tasks-vision reads for an image model is produced.
 */
const ModelMetadataField = {
  name: 0,
  description: 1,
  version: 2,
  subgraphMetadata: 3,
  author: 4,
  license: 5,
  minParserVersion: 7,
} as const;
const SubGraphMetadataField = { name: 0, inputTensorMetadata: 2, outputTensorMetadata: 3 } as const;
const TensorMetadataField = { name: 0, description: 1, content: 3, processUnits: 4, stats: 5 } as const;
const ContentField = { propertiesType: 0, properties: 1 } as const;
const ContentProperties = { ImageProperties: 2 } as const;
const ImagePropertiesField = { colorSpace: 0, defaultSize: 1 } as const;
const ImageSizeField = { width: 0, height: 1 } as const;
const ColorSpace = { RGB: 1 } as const;
const ProcessUnitField = { optionsType: 0, options: 1 } as const;
const ProcessUnitOptions = { NormalizationOptions: 1 } as const;
const NormalizationOptionsField = { mean: 0, std: 1 } as const;
const StatsField = { max: 0, min: 1 } as const;

export interface ImageInputMetadata {
  readonly modelName: string;
  readonly description: string;
  readonly version: string;
  readonly author: string;
  readonly license: string;
  readonly input: {
    readonly name: string;
    readonly description: string;
    readonly width: number;
    readonly height: number;
    /** Per-channel (or one shared) normalisation: model input = (pixel - mean) / std. */
    readonly mean: readonly number[];
    readonly std: readonly number[];
    /** Value range of the normalised input. */
    readonly min: readonly number[];
    readonly max: readonly number[];
  };
}

/** The oldest metadata parser that understands every field written here. */
export const MIN_PARSER_VERSION = '1.0.0';

function imageTensorMetadata(b: EmbeddingBuilder, input: ImageInputMetadata['input']): number {
  const name = b.string(input.name);
  const description = b.string(input.description);
  const size = b.table([
    { id: ImageSizeField.width, u32: input.width },
    { id: ImageSizeField.height, u32: input.height },
  ]);
  const imageProperties = b.table([
    { id: ImagePropertiesField.colorSpace, i8: ColorSpace.RGB },
    { id: ImagePropertiesField.defaultSize, offset: size },
  ]);
  const content = b.table([
    { id: ContentField.propertiesType, u8: ContentProperties.ImageProperties },
    { id: ContentField.properties, offset: imageProperties },
  ]);
  const mean = b.f32Vector(input.mean);
  const std = b.f32Vector(input.std);
  const normalization = b.table([
    { id: NormalizationOptionsField.mean, offset: mean },
    { id: NormalizationOptionsField.std, offset: std },
  ]);
  const processUnit = b.table([
    { id: ProcessUnitField.optionsType, u8: ProcessUnitOptions.NormalizationOptions },
    { id: ProcessUnitField.options, offset: normalization },
  ]);
  const processUnits = b.offsetVector([processUnit]);
  const max = b.f32Vector(input.max);
  const min = b.f32Vector(input.min);
  const stats = b.table([
    { id: StatsField.max, offset: max },
    { id: StatsField.min, offset: min },
  ]);
  return b.table([
    { id: TensorMetadataField.name, offset: name },
    { id: TensorMetadataField.description, offset: description },
    { id: TensorMetadataField.content, offset: content },
    { id: TensorMetadataField.processUnits, offset: processUnits },
    { id: TensorMetadataField.stats, offset: stats },
  ]);
}

export function buildImageModelMetadata(meta: ImageInputMetadata): Uint8Array {
  const b = freshBuilder();
  const input = imageTensorMetadata(b, meta.input);
  const inputs = b.offsetVector([input]);
  const subgraphName = b.string(meta.modelName);
  const subgraph = b.table([
    { id: SubGraphMetadataField.name, offset: subgraphName },
    { id: SubGraphMetadataField.inputTensorMetadata, offset: inputs },
  ]);
  const subgraphs = b.offsetVector([subgraph]);
  const name = b.string(meta.modelName);
  const description = b.string(meta.description);
  const version = b.string(meta.version);
  const author = b.string(meta.author);
  const license = b.string(meta.license);
  const minParser = b.string(MIN_PARSER_VERSION);
  const root = b.table([
    { id: ModelMetadataField.name, offset: name },
    { id: ModelMetadataField.description, offset: description },
    { id: ModelMetadataField.version, offset: version },
    { id: ModelMetadataField.subgraphMetadata, offset: subgraphs },
    { id: ModelMetadataField.author, offset: author },
    { id: ModelMetadataField.license, offset: license },
    { id: ModelMetadataField.minParserVersion, offset: minParser },
  ]);
  return b.finish(root, 'M001');
}
