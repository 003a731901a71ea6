/**
 * Registers sharding_indexed with the codec registry (imported by `builtins.ts`).
 *
 * @module
 */
export {};
