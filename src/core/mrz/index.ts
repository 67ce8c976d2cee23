export * from './check-digit.js';
export * from './compose.js';
export * from './dates.js';
export * from './formats.js';
export * from './parse.js';
export * from './repair.js';
export * from './states.js';
