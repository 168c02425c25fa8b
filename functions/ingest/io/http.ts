/**
 * A small JSON client for the dashboard and Storage Service APIs (tastypie `ApiKey user:key`
 * authentication), on node:http so that it can tell the two ways a request fails apart: before the
 * whole request was written (the app cannot have acted on it: safe to retry) and after (it may have:
 * a start request must then never be repeated).
 */
import * as http from "node:http";
import * as https from "node:https";

export interface HttpAnswer {
    http: number;
    /** Parsed JSON, or the text when it is not JSON, or null when empty. */
    body: unknown;
    headers: http.IncomingHttpHeaders;
}

export class HttpFailure extends Error {
    constructor(
        message: string,
        /** True when the whole request had been written before it failed (the app may have acted on it). */
        readonly sent: boolean,
    ) {
        super(message);
    }
}

export interface RequestOptions {
    method: "GET" | "POST";
    url: string;
    headers?: Record<string, string>;
    json?: unknown;
    timeoutMs: number;
}

function parse(raw: string): unknown {
    if (raw === "") return null;
    try {
        return JSON.parse(raw);
    } catch {
        return raw;
    }
}

export function request(options: RequestOptions): Promise<HttpAnswer> {
    const url = new URL(options.url);
    const payload = options.json === undefined ? undefined : Buffer.from(JSON.stringify(options.json), "utf8");
    const headers: Record<string, string> = { Accept: "application/json", ...options.headers };
    if (payload) {
        headers["Content-Type"] = "application/json";
        headers["Content-Length"] = String(payload.length);
    }
    const transport = url.protocol === "https:" ? https : http;
    return new Promise((resolve, reject) => {
        let sent = false;
        const req = transport.request(url, { method: options.method, headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
                resolve({ http: res.statusCode ?? 0, body: parse(Buffer.concat(chunks).toString("utf8")), headers: res.headers }),
            );
            res.on("error", (err) => reject(new HttpFailure(`${options.method} ${url.pathname}: ${err.message}`, true)));
        });
        req.on("finish", () => (sent = true));
        req.setTimeout(options.timeoutMs, () => req.destroy(new Error(`no answer within ${options.timeoutMs / 1000} s`)));
        req.on("error", (err: NodeJS.ErrnoException) =>
            reject(
                new HttpFailure(`${options.method} ${url.origin}${url.pathname}: ${err.code ? `${err.code} ` : ""}${err.message}`, sent),
            ),
        );
        req.end(payload);
    });
}

/** One app's API: base URL and the `ApiKey` credentials. */
export class ApiClient {
    constructor(
        readonly name: string,
        private readonly base: string,
        private readonly username: string,
        private readonly key: string,
        private readonly timeoutMs = 60_000,
    ) {}

    private auth() {
        return { Authorization: `ApiKey ${this.username}:${this.key}` };
    }

    get(path: string): Promise<HttpAnswer> {
        return request({ method: "GET", url: this.base + path, headers: this.auth(), timeoutMs: this.timeoutMs });
    }

    postJson(path: string, json: unknown): Promise<HttpAnswer> {
        return request({ method: "POST", url: this.base + path, headers: this.auth(), json, timeoutMs: this.timeoutMs });
    }
}
