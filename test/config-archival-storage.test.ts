/**
 * Archival-storage configuration (the S3 buckets): defaults, the typed config the cluster maps onto
 * ArchivalStorage, and every bad input as one exact `ConfigError` line.
 */
import * as assert from "assert";
import { ConfigError, parseConfig, PROJECT } from "../config";
import { CONFIG_KEYS } from "../config/schema";
import { TRANSITION_MINIMUM_DAYS } from "../lib/s3-lifecycle";
import { rawValues, testConfig } from "./harness";

const ns = (key: string) => `${PROJECT}:${key}`;

function errorOf(overrides: Record<string, string>, region = "eu-west-2"): string {
    try {
        parseConfig({ project: PROJECT, stack: "test", values: rawValues(overrides, region), secretKeys: [] });
    } catch (e) {
        assert.ok(e instanceof ConfigError, `expected a ConfigError, got ${String(e)}`);
        return e.message;
    }
    throw new Error("expected a ConfigError");
}

describe("config: archival storage", () => {
    it("defaults: INTELLIGENT_TIERING after 30 days, 90 days of old versions, no Object Lock, no replica", () => {
        assert.deepStrictEqual(testConfig().archivalStorage, {
            aipTransition: { storageClass: "INTELLIGENT_TIERING", days: 30 },
            noncurrentVersionDays: 90,
            objectLock: undefined,
            replicaRegion: undefined,
        });
    });

    it("every key set", () => {
        const c = testConfig({
            aipStorageClass: "GLACIER_IR",
            aipTransitionDays: "0",
            noncurrentVersionDays: "365",
            aipObjectLockMode: "COMPLIANCE",
            aipObjectLockDays: "3650",
            aipReplicaRegion: "eu-central-1",
        });
        assert.deepStrictEqual(c.archivalStorage, {
            aipTransition: { storageClass: "GLACIER_IR", days: 0 },
            noncurrentVersionDays: 365,
            objectLock: { mode: "COMPLIANCE", days: 3650 },
            replicaRegion: "eu-central-1",
        });
    });

    it("the classes offered are lib/s3-lifecycle.ts's, the one table the component and the rules read", () => {
        assert.strictEqual(CONFIG_KEYS.find((k) => k.key === "aipStorageClass")!.valid, Object.keys(TRANSITION_MINIMUM_DAYS).join(", "));
    });

    it("STANDARD_IA at exactly S3's 30-day minimum passes", () => {
        assert.deepStrictEqual(testConfig({ aipStorageClass: "STANDARD_IA", aipTransitionDays: "30" }).archivalStorage.aipTransition, {
            storageClass: "STANDARD_IA",
            days: 30,
        });
    });

    /** [what, overrides, exact message] */
    const BAD: [string, Record<string, string>, string][] = [
        [
            "a Glacier class the Storage Service cannot read",
            { aipStorageClass: "DEEP_ARCHIVE" },
            `${ns("aipStorageClass")}: "DEEP_ARCHIVE" is not allowed; valid: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR`,
        ],
        [
            "STANDARD_IA before 30 days",
            { aipStorageClass: "STANDARD_IA", aipTransitionDays: "29" },
            `${ns("aipTransitionDays")}: 29 is below S3's minimum for aipStorageClass STANDARD_IA; valid: 30 to 3650`,
        ],
        ["negative transition days", { aipTransitionDays: "-1" }, `${ns("aipTransitionDays")}: -1 is out of range; valid: 0 to 3650`],
        ["no noncurrent days", { noncurrentVersionDays: "0" }, `${ns("noncurrentVersionDays")}: 0 is out of range; valid: 1 to 3650`],
        [
            "lower-case lock mode",
            { aipObjectLockMode: "governance" },
            `${ns("aipObjectLockMode")}: "governance" is not allowed; valid: none, GOVERNANCE, COMPLIANCE`,
        ],
        ["lock days 0", { aipObjectLockDays: "0" }, `${ns("aipObjectLockDays")}: 0 is out of range; valid: 1 to 36500`],
        [
            "a replica region that is no region",
            { aipReplicaRegion: "ireland" },
            `${ns("aipReplicaRegion")}: "ireland" is not valid; valid: empty, or an AWS region other than aws:region, such as eu-west-1`,
        ],
        [
            "the replica in the stack's own region",
            { aipReplicaRegion: "eu-west-2" },
            `${ns("aipReplicaRegion")}: is the stack's own region eu-west-2 (aws:region); valid: empty, or an AWS region other than eu-west-2, such as eu-west-1`,
        ],
    ];
    for (const [what, overrides, message] of BAD) {
        it(`${what} → one line naming the key`, () => {
            assert.strictEqual(errorOf(overrides), message);
        });
    }

    it("a stack in eu-west-1 replicating to eu-west-1 is told another example", () => {
        assert.strictEqual(
            errorOf(
                {
                    aipReplicaRegion: "eu-west-1",
                    certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/6f1c9a52-3b7e-4d0a-9c21-8e4f5b2d7a10",
                },
                "eu-west-1",
            ),
            `${ns("aipReplicaRegion")}: is the stack's own region eu-west-1 (aws:region); valid: empty, or an AWS region other than eu-west-1, such as eu-west-2`,
        );
    });

    it("a bad class is reported once: the transition-days rule that reads it is skipped", () => {
        assert.strictEqual(
            errorOf({ aipStorageClass: "GLACIER", aipTransitionDays: "1" }),
            `${ns("aipStorageClass")}: "GLACIER" is not allowed; valid: STANDARD_IA, INTELLIGENT_TIERING, GLACIER_IR`,
        );
    });
});
