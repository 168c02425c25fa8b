/**
 * Bundles a TypeScript Lambda handler (and the AWS SDK v3 clients it imports, at the versions pinned
 * in package.json) into one CommonJS file with esbuild, synchronously, at plan time. Deterministic:
 * the same sources and esbuild version give byte-identical code, so the function's archive — and the
 * plan — only change when the code does. No source maps, no paths of this machine, no legal comments.
 */
import * as crypto from "node:crypto";
import * as path from "node:path";
import { buildSync } from "esbuild";

/** The repository root: entry points are given relative to it, and esbuild's paths are relative to it. */
export const REPO_ROOT = path.join(__dirname, "..");

/** Lambda's Node.js runtime the bundle targets (`nodejs22.x`). */
export const LAMBDA_NODE_TARGET = "node22";

export interface Bundle {
    /** The bundled JavaScript (CommonJS; the handler is the entry's `handler` export). */
    code: string;
    /** Hex SHA-256 of `code`. */
    sha256: string;
}

const cache = new Map<string, Bundle>();

/** Bundles `entry` (relative to the repository root, e.g. `functions/ingest/starter.ts`); cached per process. */
export function bundleFunction(entry: string): Bundle {
    const hit = cache.get(entry);
    if (hit) return hit;
    const result = buildSync({
        absWorkingDir: REPO_ROOT,
        entryPoints: [entry],
        bundle: true,
        platform: "node",
        target: LAMBDA_NODE_TARGET,
        format: "cjs",
        minify: true,
        sourcemap: false,
        legalComments: "none",
        charset: "utf8",
        write: false,
        logLevel: "silent",
        // The SDK's optional CRT bindings are native and never loaded by these clients.
        external: ["@aws-sdk/signature-v4-crt", "aws-crt"],
    });
    const code = result.outputFiles[0].text;
    const bundle = { code, sha256: crypto.createHash("sha256").update(code).digest("hex") };
    cache.set(entry, bundle);
    return bundle;
}
