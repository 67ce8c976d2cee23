export * from './geometry.js';
export * from './preprocess.js';
export * from './decode.js';
export * from './stats.js';
export * from './rules.js';
export * from './second-look.js';
export * from './pipeline.js';
