/**
 * Operations configuration (alarm e-mail, backup schedule, retention and vault lock): every bad input is
 * one `ConfigError` line naming the key and the valid values, raised before any resource registers.
 */
import * as assert from "assert";
import { ConfigError, PROJECT } from "../config";
import { scheduleProblem } from "../lib/schedule-expressions";
import { testConfig } from "./harness";

const ns = (key: string) => `${PROJECT}:${key}`;
const CRON_VALID =
    "cron(<minutes> <hours> <day-of-month> <month> <day-of-week> <year>) in UTC that fires, at least 1 hour apart, one of the two day fields ?, e.g. cron(0 3 * * ? *)";
const EMAIL_VALID = "empty, or an ASCII e-mail address such as digital-preservation@example.org";
const PROTECTED = { protectData: "true", dbBackupRetentionDays: "7" };

/** [what, raw overrides, exact message] */
const BAD: [string, Record<string, string>, string][] = [
    [
        "alarm e-mail without a domain",
        { alarmEmail: "ops@localhost" },
        `${ns("alarmEmail")}: "ops@localhost" has the domain "localhost", which is not a DNS name with a dot; valid: ${EMAIL_VALID}`,
    ],
    [
        "two alarm e-mails in one value",
        { alarmEmail: "a@example.org b@example.org" },
        `${ns("alarmEmail")}: "a@example.org b@example.org" has the local part "a@example.org b", which is not letters, digits and !#$%&'*+/=?^_\`{|}~- in dot-separated words; valid: ${EMAIL_VALID}`,
    ],
    [
        "schedule in the 5-field Unix form",
        { backupSchedule: "0 3 * * *" },
        `${ns("backupSchedule")}: "0 3 * * *" is not a cron(...) expression (AWS Backup takes no rate(...)); valid: ${CRON_VALID}`,
    ],
    [
        "schedule as a rate expression",
        { backupSchedule: "rate(1 day)" },
        `${ns("backupSchedule")}: "rate(1 day)" is not a cron(...) expression (AWS Backup takes no rate(...)); valid: ${CRON_VALID}`,
    ],
    [
        "schedule every 15 minutes",
        { backupSchedule: "cron(0/15 * * * ? *)" },
        `${ns("backupSchedule")}: "cron(0/15 * * * ? *)" fires 15 minutes apart, less than the 1 hour needed between runs; valid: ${CRON_VALID}`,
    ],
    [
        "schedule with both days set",
        { backupSchedule: "cron(0 3 * * * *)" },
        `${ns("backupSchedule")}: "cron(0 3 * * * *)" sets both day-of-month and day-of-week; one of them must be ?; valid: ${CRON_VALID}`,
    ],
    [
        "schedule with neither day set",
        { backupSchedule: "cron(0 3 ? * ? *)" },
        `${ns("backupSchedule")}: "cron(0 3 ? * ? *)" has ? in both day-of-month and day-of-week; one of them must be a value; valid: ${CRON_VALID}`,
    ],
    ["retention of zero days", { backupRetentionDays: "0" }, `${ns("backupRetentionDays")}: 0 is out of range; valid: 1 to 36500`],
    [
        "retention beyond 100 years",
        { backupRetentionDays: "36501" },
        `${ns("backupRetentionDays")}: 36501 is out of range; valid: 1 to 36500`,
    ],
    ["vault lock as yes", { backupVaultLock: "yes" }, `${ns("backupVaultLock")}: "yes" is not a boolean; valid: true, false`],
    [
        "archival backups as all",
        { backupArchivalStores: "all" },
        `${ns("backupArchivalStores")}: "all" is not allowed; valid: none, dip, aip-and-dip`,
    ],
    [
        "vault lock on a stack whose data is not protected",
        { backupVaultLock: "true" },
        `${ns("backupVaultLock")}: true needs protectData true: without it pulumi destroy removes the lock and then the vault with every recovery point; valid: false, or set protectData true`,
    ],
    [
        "protected stack keeping recovery points for 3 days",
        { ...PROTECTED, backupRetentionDays: "3" },
        `${ns("backupRetentionDays")}: 3 is too short for a stack whose data is protected (protectData is true); valid: 7 to 36500`,
    ],
];

describe("config: operations, bad input", () => {
    for (const [what, overrides, message] of BAD) {
        it(`${what} → one line naming the key`, () => {
            let thrown: unknown;
            try {
                testConfig(overrides);
            } catch (e) {
                thrown = e;
            }
            assert.ok(thrown instanceof ConfigError, `expected a ConfigError, got ${String(thrown)}`);
            assert.strictEqual(thrown.message, message);
        });
    }

    it("a bad retention is reported once, not again by the vault-lock and protected-stack rules", () => {
        assert.throws(() => testConfig({ ...PROTECTED, backupVaultLock: "true", backupRetentionDays: "0" }), {
            message: `${ns("backupRetentionDays")}: 0 is out of range; valid: 1 to 36500`,
        });
    });
});

describe("config: operations, good input", () => {
    it("defaults: no e-mail, daily at 03:00 UTC, 35 days, no lock", () => {
        assert.deepStrictEqual(testConfig().operations, {
            alarmEmail: undefined,
            backupSchedule: "cron(0 3 * * ? *)",
            backupRetentionDays: 35,
            backupVaultLock: false,
            backupArchivalStores: "dip",
            stallAlarmMinutes: 15,
            mcpClientJobErrorPercent: 25,
        });
    });

    it("a protected stack with an e-mail, a weekly schedule, a year's retention and the lock", () => {
        const c = testConfig({
            ...PROTECTED,
            alarmEmail: "digital-preservation@example.org",
            backupSchedule: "cron(30 1 ? * SUN *)",
            backupRetentionDays: "365",
            backupVaultLock: "true",
            backupArchivalStores: "aip-and-dip",
            stallAlarmMinutes: "60",
            mcpClientJobErrorPercent: "10",
        });
        assert.deepStrictEqual(c.operations, {
            alarmEmail: "digital-preservation@example.org",
            backupSchedule: "cron(30 1 ? * SUN *)",
            backupRetentionDays: 365,
            backupVaultLock: true,
            backupArchivalStores: "aip-and-dip",
            stallAlarmMinutes: 60,
            mcpClientJobErrorPercent: 10,
        });
    });

    it("AWS Backup's own examples and the first of the month fire, at least an hour apart", () => {
        for (const ok of ["cron(0 12 * * ? *)", "cron(15 * ? * * *)", "cron(0 5 ? * * *)", "cron(0 8 1 * ? *)", "cron(0 9 ? * 2#1 *)"]) {
            assert.strictEqual(scheduleProblem(ok, 60, new Date("2026-01-01T00:00:00Z")), undefined, ok);
        }
    });
});
