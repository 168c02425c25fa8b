/**
 * The operations guide builds every command from stack outputs; this keeps it honest: each output it
 * reads exists in the program, and each key it picks out of an object output is there.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { unwrapSecrets } from "../tools/mock-runtime";
import { stackPlan } from "./harness";

const GUIDE = fs.readFileSync(path.join(__dirname, "../docs/operations.md"), "utf8");

describe("operations guide", () => {
    let outputs: Record<string, unknown>;
    before(async function () {
        this.timeout(60000);
        outputs = unwrapSecrets((await stackPlan("staging")).run.outputs) as Record<string, unknown>;
    });

    it("every `pulumi stack output <name>` it uses is a stack output", () => {
        const used = [...new Set([...GUIDE.matchAll(/pulumi stack output (\w+)/g)].map((m) => m[1]))];
        assert.ok(used.length >= 10, `${used.length} outputs referenced`);
        for (const name of used) assert.ok(name in outputs, `docs/operations.md uses missing output ${name}`);
    });

    it("builds the backup, restore and alarm commands from the operations outputs", () => {
        for (const name of ["alarmTopicArn", "operationsDashboardUrl", "backupVaultName", "backupRoleArn", "backupRetentionDays"]) {
            assert.ok(GUIDE.includes(`pulumi stack output ${name}`), name);
        }
        assert.ok(!GUIDE.includes("AWSBackupDefaultServiceRole"), "restores run as the stack's own backup role");
    });

    it("every key it picks out of an object output with jq exists", () => {
        const picks = [...GUIDE.matchAll(/pulumi stack output (\w+) --json \| jq -r '?\.(?:"([^"]+)"|([\w]+))/g)];
        assert.ok(picks.length >= 7, `${picks.length} picks`);
        for (const [, name, quoted, plain] of picks) {
            const key = quoted ?? plain;
            assert.ok(key in (outputs[name] as Record<string, unknown>), `${name}.${key}`);
        }
    });

    it("every component it loops over is a service", () => {
        const loops = [...GUIDE.matchAll(/for c in ([\w\s-]+?); do/g)].flatMap((m) => m[1].trim().split(/\s+/));
        assert.ok(loops.length >= 7);
        for (const c of loops) assert.ok(c in (outputs.serviceNames as Record<string, unknown>), c);
    });

    it("names the commands for every task it promises", () => {
        for (const heading of [
            "Deploy a new image version",
            "Scale MCP clients",
            "Run manage.py commands",
            "Rotate the generated secrets",
            "Restore the database",
            "Restore EFS",
            "Backups in the stack's own vault",
            "Restore the database from the vault",
            "Restore EFS from the vault",
            "Alarms",
            "Recover a stuck pipeline",
            "Read logs",
            "Tear down staging",
            "What never to do in production",
        ]) {
            assert.ok(GUIDE.includes(`## ${heading}`), heading);
        }
    });
});
