/**
 * Registers the numcodecs filters and checksums with the codec registry (imported by `builtins.ts`).
 *
 * @module
 */
export {};
