/** Helpers shared by the bootstrap scripts' tests. */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { RecordedRequest } from "../support/fake-http";
import { python } from "../support/python";

export const BOOTSTRAP_DIR = path.join(__dirname, "..", "..", "bootstrap");

/** `python3 -m py_compile`, with the bytecode cache outside the worktree; throws with python's message. */
export function pyCompile(script: string): void {
    const cache = fs.mkdtempSync(path.join(os.tmpdir(), "pycache-"));
    try {
        execFileSync(...python("-m", "py_compile", script), {
            env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PYTHONPYCACHEPREFIX: cache },
            stdio: "pipe",
        });
    } finally {
        fs.rmSync(cache, { recursive: true, force: true });
    }
}

/** `METHOD path` of each request, in order. */
export function calls(requests: RecordedRequest[]): string[] {
    return requests.map((r) => `${r.method} ${r.path}`);
}

/** The parsed JSON bodies of the requests with this method, in order. */
export function bodies(requests: RecordedRequest[], method: string): unknown[] {
    return requests.filter((r) => r.method === method).map((r) => JSON.parse(r.body));
}
