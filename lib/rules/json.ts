/** Raw-JSON narrowing helpers for the rules: the shared ones in lib/core/json. */
export * from '../core/json';
