/**
 * Registers blosc, lz4, bz2, lzma with the codec registry (imported by `builtins.ts`).
 *
 * @module
 */
export {};
