/**
 * `npm run diagram`: the staging picture's content (layers, the ingest group, nodes, flows) read from
 * the plan, how the DOT joins flows, the committed SVG redrawn byte for byte from today's plan (the
 * drift test: when the plan's shape changes, regenerate it with the command its message names),
 * determinism, and the command line.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parseDiagramArgs, renderSvg, runDiagramCommand } from "../tools/diagram";
import { toDot } from "../tools/diagram/dot";
import { diagramModel, DiagramModel, PlanResource } from "../tools/diagram/model";
import { ROOT } from "../tools/stack-files";
import { stackPlan } from "./harness";

const SVG = "docs/architecture-staging.svg";
const REGENERATE = `npm run diagram -- staging --out ${SVG}`;

async function stagingModel(): Promise<DiagramModel> {
    const { run } = await stackPlan("staging");
    return diagramModel(
        run.resources as PlanResource[],
        "archivematica-infra: staging (from the offline plan; npm run diagram -- staging)",
    );
}

describe("architecture diagram", function () {
    this.timeout(120_000);

    it("staging: the layers, the nodes in each, and every flow with its port or kind", async () => {
        const model = await stagingModel();
        assert.deepEqual(
            model.layers.map((l) => l.id),
            ["platform", "app", "data", "operations"],
        );
        const nodes = model.nodes.map((n) => [n.layer, n.kind, n.label]).sort();
        assert.deepEqual(nodes, [
            ["", "external", "Staff browsers\n(allowed networks)"],
            ["app", "event", "EventBridge rule\nObject Created, except feedback/"],
            ["app", "function", "Lambda: ingest-monitor\nfollows started transfers to their end\nevery 5 minutes"],
            ["app", "function", "Lambda: ingest-starter\nstarts one transfer per uploaded package"],
            ["app", "queue", "SQS dead-letter queue\ningest-dead-letters, kept 14 days"],
            ["app", "queue", "SQS queue\ningest-queue, kept 4 days"],
            ["app", "service", "clamavd\n1 task · 1 vCPU, 4 GB"],
            ["app", "service", "dashboard\n1 task · 1 vCPU, 2 GB"],
            ["app", "service", "gearmand\n1 task · 0.25 vCPU, 0.5 GB"],
            ["app", "service", "mcp-client\n0–5 tasks, autoscaled · 2 vCPU, 4 GB"],
            ["app", "service", "mcp-server\n1 task · 0.5 vCPU, 1 GB"],
            ["app", "service", "storage-service\n1 task · 1 vCPU, 2 GB"],
            ["app", "store", "DynamoDB: ingest-table\none item per key + versionId"],
            ["app", "task", "fixity check\none-off task, every day"],
            ["app", "task", "smoke transfer\none-off task, every day"],
            ["data", "bucket", "S3: aip-store"],
            ["data", "bucket", "S3: dip-store"],
            ["data", "bucket", "S3: transfer-source"],
            ["data", "store", "EFS shared directory\nelastic throughput"],
            ["data", "store", "RDS MySQL 8.4\ndb.t4g.small"],
            ["operations", "ops", "AWS Backup vault"],
            ["operations", "ops", "CloudWatch alarms\n18 alarms, 6 event rules"],
            ["operations", "ops", "CloudWatch dashboard"],
            ["operations", "ops", "Ingest and fixity alarms\n11 alarms"],
            ["operations", "ops", "Processing alarms\n3 alarms on Archivematica's metrics"],
            ["operations", "ops", "SNS alarm topic"],
            ["platform", "edge", "AWS WAF web ACL"],
            ["platform", "edge", "Application Load Balancer\ninternet-facing, HTTPS"],
            ["platform", "edge", "Cognito user pool"],
            ["platform", "platform", "Cloud Map\nprivate DNS for the services"],
            ["platform", "platform", "ECR pull-through cache\n(Docker Hub images)"],
            ["platform", "platform", "ECS cluster\nFargate, Container Insights"],
            ["platform", "platform", "VPC\n2 AZs, 1 NAT gateway, flow logs"],
        ]);
        const name = new Map(model.nodes.map((n) => [n.id, n.label.split("\n")[0]]));
        // The hands-off ingest path is one box: the rule, the queues, the two functions and the table.
        assert.deepEqual(
            model.groups.map((g) => [g.layer, g.label]),
            [["app", "Hands-off ingest: one upload, one transfer"]],
        );
        assert.deepEqual(
            model.nodes
                .filter((n) => n.group === model.groups[0].id)
                .map((n) => name.get(n.id))
                .sort(),
            [
                "DynamoDB: ingest-table",
                "EventBridge rule",
                "Lambda: ingest-monitor",
                "Lambda: ingest-starter",
                "SQS dead-letter queue",
                "SQS queue",
            ],
        );
        const edges = model.edges.map((e) => `${name.get(e.from)} → ${name.get(e.to)} [${e.kind}] ${e.label.replace(/\n/g, " / ")}`).sort();
        assert.deepEqual(edges, [
            "AWS WAF web ACL → Application Load Balancer [managed] filters",
            "Application Load Balancer → dashboard [network] HTTP 8000",
            "Application Load Balancer → storage-service [network] HTTP 8000",
            "CloudWatch alarms → SNS alarm topic [managed] notifies",
            "EFS shared directory → AWS Backup vault [managed] daily backup",
            "EventBridge rule → SQS queue [managed] event",
            "Ingest and fixity alarms → SNS alarm topic [managed] notifies",
            "Lambda: ingest-monitor → DynamoDB: ingest-table [api] DynamoDB",
            "Lambda: ingest-monitor → S3: transfer-source [api] S3 API",
            "Lambda: ingest-monitor → dashboard [network] HTTP 8000 · Cloud Map",
            "Lambda: ingest-monitor → storage-service [network] HTTP 8000 · Cloud Map",
            "Lambda: ingest-starter → DynamoDB: ingest-table [api] DynamoDB",
            "Lambda: ingest-starter → S3: transfer-source [api] S3 API",
            "Lambda: ingest-starter → dashboard [network] HTTP 8000 · Cloud Map",
            "Lambda: ingest-starter → storage-service [network] HTTP 8000 · Cloud Map",
            "Processing alarms → SNS alarm topic [managed] notifies",
            "RDS MySQL 8.4 → AWS Backup vault [managed] daily backup",
            "S3: dip-store → AWS Backup vault [managed] daily backup",
            "S3: transfer-source → EventBridge rule [managed] S3 events",
            "SQS queue → Lambda: ingest-starter [managed] triggers / batch of 1 / at most 2 at once",
            "SQS queue → SQS dead-letter queue [managed] after 8 failed receives",
            "Staff browsers → Application Load Balancer [network] HTTP 80, HTTPS 443",
            "dashboard → EFS shared directory [network] NFS 2049",
            "dashboard → RDS MySQL 8.4 [network] MySQL 3306",
            "dashboard → gearmand [network] gearman 4730 · Cloud Map",
            "dashboard → storage-service [network] HTTP 8000 · Cloud Map",
            "fixity check → S3: aip-store [api] S3 API",
            "fixity check → storage-service [network] HTTP 8000 · Cloud Map",
            "mcp-client → EFS shared directory [network] NFS 2049",
            "mcp-client → RDS MySQL 8.4 [network] MySQL 3306",
            "mcp-client → clamavd [network] clamd 3310 · Cloud Map",
            "mcp-client → gearmand [network] gearman 4730 · Cloud Map",
            "mcp-client → storage-service [network] HTTP 8000",
            "mcp-server → EFS shared directory [network] NFS 2049",
            "mcp-server → RDS MySQL 8.4 [network] MySQL 3306",
            "mcp-server → gearmand [network] gearman 4730 · Cloud Map",
            "mcp-server → storage-service [network] HTTP 8000",
            "smoke transfer → S3: transfer-source [api] S3 API",
            "smoke transfer → storage-service [network] HTTP 8000 · Cloud Map",
            "storage-service → EFS shared directory [network] NFS 2049",
            "storage-service → RDS MySQL 8.4 [network] MySQL 3306",
            "storage-service → S3: aip-store [api] S3 API",
            "storage-service → S3: dip-store [api] S3 API",
            "storage-service → S3: transfer-source [api] S3 API",
            "storage-service → dashboard [network] HTTP 8000 · Cloud Map",
        ]);
    });

    it("the DOT: flows of one kind and label into one node join and are labelled once; the ingest box beside its layer", async () => {
        const dot = toDot(await stagingModel());
        const labels = (label: string) => dot.split(`label="${label}"`).length - 1;
        // Four services mount EFS and use RDS: one arrow each, labelled once.
        assert.equal(labels("NFS 2049"), 1);
        assert.equal(labels("MySQL 3306"), 1);
        // Three alarm components notify the topic; three backups go to the vault.
        assert.equal(labels("notifies"), 1);
        assert.equal(labels("daily backup"), 1);
        // Eight such flows, five labels: the two functions call the dashboard and the Storage Service
        // together (one arrow each), the two one-off tasks the Storage Service (one arrow), and the
        // dashboard and the Storage Service call each other (one arrow each way).
        assert.equal(labels("HTTP 8000 · Cloud Map"), 5);
        assert.match(dot, /\n {2}subgraph cluster_group1 \{\n {4}label="Hands-off ingest: one upload, one transfer";/);
        // The bucket's events go up to the rule: laid out downwards, the arrow turned round.
        assert.match(dot, /label="S3 events", color="#8a5a9e", fontcolor="#8a5a9e", style=dashed, dir=back\]/);
    });

    it(`${SVG} is today's plan drawn (drift test)`, async () => {
        const svg = await renderSvg(toDot(await stagingModel()));
        const committed = fs.readFileSync(path.join(ROOT, SVG), "utf8");
        assert.ok(svg === committed, `${SVG} is out of date with the staging plan: regenerate it with \`${REGENERATE}\` and commit it`);
    });

    it("the same plan gives the same DOT and the same SVG", async () => {
        const a = toDot(await stagingModel());
        const b = toDot(await stagingModel());
        assert.equal(a, b);
        assert.equal(await renderSvg(a), await renderSvg(b));
        assert.match(a, /^digraph architecture \{\n {2}graph \[rankdir=TB/);
    });

    it("the README shows the picture", () => {
        assert.ok(
            fs
                .readFileSync(path.join(ROOT, "README.md"), "utf8")
                .includes(`![Architecture of the staging stack, drawn from its plan](${SVG})`),
        );
    });

    it("bad flags are one line and exit 2; --out must name an .svg file", async () => {
        const err: string[] = [];
        const io = { out: () => undefined, err: (t: string) => err.push(t) };
        assert.equal(await runDiagramCommand(["staging", "--out", "picture.png"], io), 2);
        assert.equal(await runDiagramCommand(["--bogus"], io), 2);
        assert.equal(await runDiagramCommand([], io), 2);
        assert.equal(await runDiagramCommand(["nosuch"], io), 2);
        assert.deepEqual(err.slice(0, 3), [
            'error: --out "picture.png" is not an .svg file; valid: a file name ending in .svg',
            "error: unknown option --bogus; valid: --out <file.svg>, --help; usage: npm run diagram -- <stack> [--out <file.svg>]",
            "error: no stack given; usage: npm run diagram -- <stack> [--out <file.svg>]",
        ]);
        assert.match(err[3], /^error: unknown stack "nosuch"; valid: /);
        assert.deepEqual(parseDiagramArgs(["prod", "--out=docs/p.svg"]), { stack: "prod", out: "docs/p.svg" });
        assert.equal(parseDiagramArgs(["-h"]), undefined);
    });
});
