/** The functions' environment settings (every problem at once), the SQS backoff, the HTTP client's "sent" flag, and the bundles. */
import * as assert from "assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { bundleFunction } from "../../lib/bundle";
import { retryDelaySeconds } from "../../functions/ingest/core/events";
import { monitorSettings, SettingsError, starterSettings } from "../../functions/ingest/core/settings";
import { HttpFailure, request } from "../../functions/ingest/io/http";

const ENV = {
    INGEST_TABLE: "archivematica-staging-ingest",
    TRANSFER_BUCKET: "am-staging-transfers",
    DASHBOARD_URL: "http://dashboard.staging.archivematica.internal:8000",
    STORAGE_SERVICE_URL: "http://storage-service.staging.archivematica.internal:8000",
    API_USERNAME: "curator",
    DASHBOARD_API_KEY_SECRET_ARN: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:d-AbCdEf",
    STORAGE_SERVICE_API_KEY_SECRET_ARN: "arn:aws:secretsmanager:eu-west-2:123456789012:secret:s-AbCdEf",
    ENVIRONMENT: "staging",
    PROCESSING_CONFIGS: "default,automated",
};

describe("ingest: settings, backoff, HTTP client, bundles", () => {
    it("reads the starter's and the monitor's environment", () => {
        const starter = starterSettings({ ...ENV, MAX_PACKAGE_BYTES: "21474836480", CLAIM_SECONDS: "960" });
        assert.deepStrictEqual(starter.configs, ["automated", "default"]);
        assert.deepStrictEqual([starter.maxBytes, starter.claimSeconds], [21474836480, 960]);
        const monitor = monitorSettings({
            ...ENV,
            AIP_BUCKET: "am-staging-aips",
            START_GRACE_MINUTES: "30",
            START_GRACE_PER_GIB_MINUTES: "2",
            FOLLOW_LIMIT: "200",
        });
        assert.deepStrictEqual(
            [monitor.aipBucket, monitor.graceBaseMinutes, monitor.gracePerGiBMinutes, monitor.followLimit],
            ["am-staging-aips", 30, 2, 200],
        );
    });

    it("names every bad variable at once, one line each", () => {
        assert.throws(
            () =>
                starterSettings({
                    ...ENV,
                    DASHBOARD_URL: "dashboard:8000",
                    PROCESSING_CONFIGS: "automated,no-dashes",
                    MAX_PACKAGE_BYTES: "0",
                    CLAIM_SECONDS: undefined,
                }),
            (err: Error) =>
                err instanceof SettingsError &&
                err.message ===
                    [
                        'DASHBOARD_URL: "dashboard:8000" is not an http(s) base URL without a path',
                        'PROCESSING_CONFIGS: "automated,no-dashes" is not a comma-separated list of processing configuration names',
                        "MAX_PACKAGE_BYTES: 0 is not between 1 and 5497558138880",
                        "CLAIM_SECONDS: missing",
                    ].join("\n"),
        );
    });

    it("backs redeliveries off 1, 2, 4, 8 minutes, then 15", () => {
        assert.deepStrictEqual([1, 2, 3, 4, 5, 6, 20].map(retryDelaySeconds), [60, 120, 240, 480, 900, 900, 900]);
    });

    it("tells a request refused before it was written (sent: false) from one whose answer never came (sent: true)", async () => {
        const server = http.createServer((req) => req.resume());
        await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
        const { port } = server.address() as AddressInfo;
        try {
            await assert.rejects(
                request({ method: "POST", url: `http://127.0.0.1:${port}/api/v2beta/package/`, json: { a: 1 }, timeoutMs: 200 }),
                (err: HttpFailure) => {
                    assert.strictEqual(err.sent, true);
                    assert.strictEqual(err.message, `POST http://127.0.0.1:${port}/api/v2beta/package/: no answer within 0.2 s`);
                    return true;
                },
            );
        } finally {
            server.closeAllConnections();
            await new Promise<void>((resolve) => server.close(() => resolve()));
        }
        await assert.rejects(
            request({ method: "POST", url: `http://127.0.0.1:${port}/api/v2beta/package/`, json: { a: 1 }, timeoutMs: 200 }),
            (err: HttpFailure) => {
                assert.strictEqual(err.sent, false);
                assert.match(err.message, /^POST http:\/\/127\.0\.0\.1:\d+\/api\/v2beta\/package\/: ECONNREFUSED /);
                return true;
            },
        );
    });

    for (const entry of ["functions/ingest/starter.ts", "functions/ingest/monitor.ts"]) {
        it(`bundles ${entry} deterministically into one CommonJS file that exports handler and names no path of this machine`, () => {
            const first = bundleFunction(entry);
            assert.match(first.sha256, /^[0-9a-f]{64}$/);
            assert.ok(!first.code.includes(path.join(__dirname, "..", "..")), "no absolute path of the checkout");
            assert.ok(!first.code.includes("sourceMappingURL"));
            const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bundle-"));
            try {
                const file = path.join(dir, "index.js");
                fs.writeFileSync(file, first.code);
                // eslint-disable-next-line @typescript-eslint/no-require-imports
                const loaded = require(file);
                assert.strictEqual(typeof loaded.handler, "function");
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        });
    }

    it("bundles byte-identically in a fresh process (no cache, same inputs)", () => {
        const script = `const { bundleFunction } = require("./lib/bundle"); process.stdout.write(bundleFunction("functions/ingest/starter.ts").sha256);`;
        const fresh = execFileSync(process.execPath, ["-r", path.join(__dirname, "..", "support", "register.cjs"), "-e", script], {
            cwd: path.join(__dirname, "..", ".."),
            encoding: "utf8",
        });
        assert.strictEqual(fresh, bundleFunction("functions/ingest/starter.ts").sha256);
    });
});
