/**
 * A local HTTP server that plays an API for the Python scripts under test: each test gives it a
 * handler, it records every request exactly (method, path with query, headers, body), and it listens
 * on 127.0.0.1 only. Scripts are then run with `runPython` against its URL.
 */
import { spawn } from "node:child_process";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { python } from "./python";

/** One request as the server received it. */
export interface RecordedRequest {
    method: string;
    /** Path with query string, e.g. `/api/v2/location/?purpose=TS`. */
    path: string;
    /** Header names lower-cased, as Node gives them. */
    headers: http.IncomingHttpHeaders;
    /** The raw body ("" when none). */
    body: string;
}

/** What a handler answers: a status, an optional JSON (object) or text (string) body, optional headers. */
export interface FakeResponse {
    status: number;
    body?: unknown;
    headers?: Record<string, string>;
}

export type FakeHandler = (req: RecordedRequest) => FakeResponse | Promise<FakeResponse>;

export interface FakeServer {
    /** `http://127.0.0.1:<port>` without a trailing slash. */
    url: string;
    /** Every request so far, in arrival order. */
    requests: RecordedRequest[];
    close(): Promise<void>;
}

/** Starts a server on an ephemeral loopback port that answers every request with `handler`. */
export async function startFakeServer(handler: FakeHandler): Promise<FakeServer> {
    const requests: RecordedRequest[] = [];
    const server = http.createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on("data", (c: Buffer) => chunks.push(c));
        req.on("end", () => {
            const recorded: RecordedRequest = {
                method: req.method ?? "",
                path: req.url ?? "",
                headers: req.headers,
                body: Buffer.concat(chunks).toString("utf8"),
            };
            requests.push(recorded);
            Promise.resolve(handler(recorded))
                .then((answer) => {
                    const isText = typeof answer.body === "string";
                    const payload = answer.body === undefined ? "" : isText ? (answer.body as string) : JSON.stringify(answer.body);
                    res.writeHead(answer.status, {
                        "content-type": isText ? "text/plain" : "application/json",
                        ...answer.headers,
                    });
                    res.end(payload);
                })
                .catch((err: unknown) => {
                    res.writeHead(500, { "content-type": "text/plain" });
                    res.end(`fake server handler failed: ${String(err)}`);
                });
        });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    return {
        url: `http://127.0.0.1:${port}`,
        requests,
        close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
    };
}

/** How a Python run ended. */
export interface PythonRun {
    code: number | null;
    stdout: string;
    stderr: string;
}

/**
 * Runs `python3 -S <script> ...args` (support/python.ts) with exactly `env` (plus PATH), so a test states every variable the
 * script reads. Asynchronous, so the fake server in the same process keeps answering.
 */
export function runPython(script: string, args: string[], env: Record<string, string>, timeoutMs = 30_000): Promise<PythonRun> {
    return new Promise((resolve, reject) => {
        const child = spawn(...python(script, ...args), {
            env: { PATH: process.env.PATH ?? "/usr/bin:/bin", PYTHONDONTWRITEBYTECODE: "1", ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
        child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
        const timer = setTimeout(() => {
            child.kill("SIGKILL");
            reject(new Error(`python3 ${script} did not finish within ${timeoutMs} ms`));
        }, timeoutMs);
        child.on("error", (err) => {
            clearTimeout(timer);
            reject(err);
        });
        child.on("close", (code) => {
            clearTimeout(timer);
            resolve({ code, stdout, stderr });
        });
    });
}
