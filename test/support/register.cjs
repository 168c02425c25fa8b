// Mocha's TypeScript loader: ts-node without type checking (npm test type-checks once, in
// tools/check.ts), transpiling with SWC (@swc/core) instead of the TypeScript compiler, which took
// more than half of loading the suite. Source maps stay on, so test failures point at .ts lines. The
// Pulumi CLI and our commands keep plain ts-node (tsconfig.json is untouched).
// eslint-disable-next-line no-undef, @typescript-eslint/no-require-imports -- a CommonJS hook, loaded by mocha before any TypeScript
require("ts-node").register({ transpileOnly: true, swc: true });
