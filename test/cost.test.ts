/**
 * `npm run cost`: each priced type against figures worked out by hand (the arithmetic is in the
 * comment beside each assertion, prices from tools/cost/prices.ts, 730 hours a month, the default
 * usage of tools/cost/usage.ts unless a test states one), the not-priced and no-charge cases, the
 * failing-closed region, the command line, and both real stacks with every resource either priced or
 * listed as not priced. The usage-driven lines, the per-TB arithmetic and the --json shape: cost-usage.test.ts.
 */
import { strict as assert } from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseCostArgs, runCostCommand, estimateStack } from "../tools/cost";
import { DEFAULT_ASSUMPTIONS, describeUnconfirmed } from "../tools/cost/assumptions";
import { cents, CostLine, CostResource, estimate, LINE_KINDS, UnpricedRegionError } from "../tools/cost/pricing";
import { PRICES, pricedRegions } from "../tools/cost/prices";
import { listStacks, ROOT } from "../tools/stack-files";
import { stackPlan } from "./harness";
import { commandArgs } from "./support/cli";

const P = "urn:pulumi:t::p::";

function res(type: string, name: string, inputs: Record<string, unknown>, propertyDependencies?: Record<string, string[]>): CostResource {
    return { urn: `${P}${type}::${name}`, type, name, custom: true, inputs, propertyDependencies };
}

/** A Fargate service and its task definition, linked as the engine records it. */
function service(name: string, td: Record<string, unknown>, svc: Record<string, unknown>): [CostResource, CostResource] {
    const taskDefinition = res("aws:ecs/taskDefinition:TaskDefinition", `${name}-td`, td);
    return [taskDefinition, res("aws:ecs/service:Service", name, svc, { taskDefinition: [taskDefinition.urn] })];
}

function line(lines: CostLine[], name: string, item = ""): CostLine {
    const found = lines.find((l) => l.urn.endsWith(`::${name}`) && l.item === item);
    assert.ok(found, `line for ${name}`);
    return found;
}

const ON_DEMAND = [{ capacityProvider: "FARGATE", weight: 1, base: 0 }];
const SPOT = [{ capacityProvider: "FARGATE_SPOT", weight: 1, base: 0 }];

describe("cost estimate: each priced type by hand", () => {
    it("rounds to the cent half up, whatever the binary fraction", () => {
        assert.equal(cents(0.045 * 730), 32.85); // 32.849999999999994 in binary
        assert.equal(cents(33.215), 33.22);
        assert.equal(cents(7.20875), 7.21);
        assert.equal(cents(0.1575), 0.16);
    });

    it("Fargate on demand: vCPU-hours, GB-hours, ephemeral storage above 20 GiB, desired count", () => {
        const est = estimate(
            service(
                "app",
                {
                    cpu: "1024",
                    memory: "2048",
                    ephemeralStorage: { sizeInGib: 50 },
                    runtimePlatform: { cpuArchitecture: "X86_64", operatingSystemFamily: "LINUX" },
                },
                { desiredCount: 2, capacityProviderStrategies: ON_DEMAND },
            ),
            "us-east-1",
        );
        // per task-hour: 1 × 0.04048 + 2 × 0.004445 + 30 × 0.000111 = 0.04048 + 0.00889 + 0.00333 = 0.0527
        // 2 tasks × 730 h × 0.0527 = 76.942
        assert.equal(line(est.lines, "app").monthly, 76.94);
        assert.equal(
            line(est.lines, "app").basis,
            "2 tasks × 730 h × (1 vCPU × $0.04048 + 2 GB × $0.004445 + 30 GB ephemeral above 20 × $0.000111) per hour, Linux/x86",
        );
        assert.equal(line(est.lines, "app-td").monthly, 0);
        assert.equal(est.total, 76.94);
    });

    it("Fargate Spot: the assumed discount, stated in the basis", () => {
        const est = estimate(
            service("spot", { cpu: "512", memory: "1024" }, { desiredCount: 1, capacityProviderStrategies: SPOT }),
            "eu-west-2",
        );
        // 730 × (0.5 × 0.04656 + 1 × 0.00511) = 730 × 0.02839 = 20.7247; × (1 − 0.7) = 6.21741
        assert.equal(line(est.lines, "spot").monthly, 6.22);
        assert.match(line(est.lines, "spot").basis, /; FARGATE_SPOT: − 70 % \(assumed\)$/);
    });

    it("Fargate ARM, a mixed strategy by weight, and an autoscaled service's maximum", () => {
        const [td, svc] = service(
            "mixed",
            { cpu: "256", memory: "512", runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" } },
            {
                desiredCount: 1,
                capacityProviderStrategies: [
                    { capacityProvider: "FARGATE", weight: 1 },
                    { capacityProvider: "FARGATE_SPOT", weight: 1 },
                ],
            },
        );
        const scaling = res("aws:appautoscaling/target:Target", "mixed-scaling", {
            minCapacity: 1,
            maxCapacity: 3,
            resourceId: "service/cluster/mixed",
            scalableDimension: "ecs:service:DesiredCount",
        });
        const est = estimate([td, svc, scaling], "us-east-1");
        // 730 × (0.25 × 0.03238 + 0.5 × 0.00356) = 730 × 0.009875 = 7.20875; half on Spot: × (1 − 0.5 × 0.7) = × 0.65 = 4.6856875
        // at 3 tasks: 3 × 4.6856875 = 14.0570625
        // The minimum is the platform; with no mcpClientsAverage the service runs its desired count, the minimum.
        assert.deepEqual(
            est.lines.filter((l) => l.type === "aws:ecs/service:Service").map((l) => [l.item, l.kind]),
            [["minimum tasks", "fixed"]],
        );
        assert.equal(line(est.lines, "mixed", "minimum tasks").monthly, 4.69);
        assert.equal(
            line(est.lines, "mixed", "minimum tasks").basis,
            "1 task × 730 h × (0.25 vCPU × $0.03238 + 0.5 GB × $0.00356) per hour, Linux/ARM; 50 % on FARGATE_SPOT at − 70 % (assumed); autoscales 1–3 tasks: $14.06 at 3",
        );
        assert.equal(line(est.lines, "mixed-scaling").monthly, 0);
    });

    it("Fargate ARM with ephemeral storage in eu-west-2 (the corrected ephemeral price)", () => {
        const est = estimate(
            service(
                "arm",
                {
                    cpu: "1024",
                    memory: "2048",
                    ephemeralStorage: { sizeInGib: 50 },
                    runtimePlatform: { cpuArchitecture: "ARM64", operatingSystemFamily: "LINUX" },
                },
                { desiredCount: 1, capacityProviderStrategies: ON_DEMAND },
            ),
            "eu-west-2",
        );
        // per task-hour: 1 × 0.03725 + 2 × 0.00409 + 30 × 0.000129 = 0.03725 + 0.00818 + 0.00387 = 0.0493
        // 1 task × 730 h × 0.0493 = 35.989
        assert.equal(line(est.lines, "arm").monthly, 35.99);
        assert.equal(
            line(est.lines, "arm").basis,
            "1 task × 730 h × (1 vCPU × $0.03725 + 2 GB × $0.00409 + 30 GB ephemeral above 20 × $0.000129) per hour, Linux/ARM",
        );
    });

    it("Fargate: an EC2 service or a missing task definition is not priced, never zero", () => {
        const est = estimate(
            [
                res("aws:ecs/service:Service", "on-ec2", { launchType: "EC2", desiredCount: 1 }),
                res("aws:ecs/service:Service", "orphan", {
                    launchType: "FARGATE",
                    desiredCount: 1,
                    taskDefinition: "arn:aws:ecs:us-east-1:1:task-definition/gone:1",
                }),
            ],
            "us-east-1",
        );
        assert.deepEqual(
            est.lines.map((l) => [l.monthly, l.basis]),
            [
                [null, "not priced: launch type EC2 is not Fargate"],
                [null, "not priced: its task definition is not in the plan"],
            ],
        );
        assert.equal(est.total, 0);
    });

    it("RDS Single-AZ: instance hours, gp3 storage, backups beyond free (assumed 0 GB), the managed master secret", () => {
        const db = res("aws:rds/instance:Instance", "db", {
            engine: "mysql",
            instanceClass: "db.t4g.small",
            allocatedStorage: 20,
            storageType: "gp3",
            multiAz: false,
            manageMasterUserPassword: true,
        });
        const est = estimate([db], "eu-west-2");
        // 730 × 0.036 = 26.28; 20 × 0.133 = 2.66; 0 GB × 0.1 = 0; secret 0.40 → 29.34
        assert.equal(est.lines[0].monthly, 29.34);
        assert.equal(
            est.lines[0].basis,
            "db.t4g.small 730 h × $0.036 + 20 GB gp3 × $0.133; backups 0 GB beyond the free amount (assumed) × $0.1; the master-user secret RDS manages in Secrets Manager $0.4",
        );
    });

    it("RDS Multi-AZ doubles instance and storage; backups beyond free priced when assumed", () => {
        const db = res("aws:rds/instance:Instance", "db", {
            engine: "mysql",
            instanceClass: "db.m7g.large",
            allocatedStorage: 100,
            storageType: "gp3",
            multiAz: true,
        });
        // 2 × (730 × 0.168 + 100 × 0.115) = 2 × (122.64 + 11.5) = 268.28
        assert.equal(estimate([db], "us-east-1").lines[0].monthly, 268.28);
        // with 50 GB of backups beyond free: 268.28 + 50 × 0.095 = 268.28 + 4.75 = 273.03
        assert.equal(
            estimate([db], "us-east-1", { assumptions: { ...DEFAULT_ASSUMPTIONS, dbBackupGbBeyondFree: 50 } }).lines[0].monthly,
            273.03,
        );
        const unknown = res("aws:rds/instance:Instance", "big", { engine: "mysql", instanceClass: "db.x2g.16xlarge", storageType: "gp3" });
        assert.deepEqual(estimate([unknown], "us-east-1").lines[0], {
            urn: unknown.urn,
            type: unknown.type,
            item: "",
            kind: "fixed",
            monthly: null,
            basis: "not priced: no RDS for MySQL price for db.x2g.16xlarge in the table for this region",
        });
    });

    it("NAT gateway (hours + the usage file's GB) and its Elastic IP", () => {
        const est = estimate(
            [res("aws:ec2/natGateway:NatGateway", "nat", { allocationId: "eipalloc-1" }), res("aws:ec2/eip:Eip", "eip", { domain: "vpc" })],
            "eu-west-1",
        );
        // 730 × 0.048 + natGbPerGatewayPerMonth 50 × 0.048 = 35.04 + 2.40 = 37.44
        assert.equal(line(est.lines, "nat").monthly, 37.44);
        assert.equal(line(est.lines, "nat").basis, "730 h × $0.048 + natGbPerGatewayPerMonth 50 GB processed × $0.048");
        // 730 × 0.005 = 3.65
        assert.equal(line(est.lines, "eip").monthly, 3.65);
        assert.equal(est.total, 41.09);
    });

    it("ALB: hours, assumed LCUs, and a public address per subnet when internet-facing", () => {
        const est = estimate(
            [
                res("aws:lb/loadBalancer:LoadBalancer", "public", {
                    loadBalancerType: "application",
                    internal: false,
                    subnets: ["a", "b", "c"],
                }),
                res("aws:lb/loadBalancer:LoadBalancer", "private", {
                    loadBalancerType: "application",
                    internal: true,
                    subnets: ["a", "b"],
                }),
                res("aws:lb/loadBalancer:LoadBalancer", "nlb", { loadBalancerType: "network" }),
            ],
            "us-east-1",
        );
        // 730 × (0.0225 + 1 × 0.008) = 22.265; + 3 × 730 × 0.005 = 10.95 → 33.215
        assert.equal(line(est.lines, "public").monthly, 33.22);
        // 730 × 0.0305 = 22.265
        assert.equal(line(est.lines, "private").monthly, 22.27);
        assert.equal(line(est.lines, "nlb").basis, "not priced: network load balancers are not in the price table (ALBs are)");
    });

    it("a bucket that is no archival store: otherBucketGb in S3 Standard, fixed", () => {
        const est = estimate([res("aws:s3/bucket:Bucket", "logs", {})], "eu-west-2");
        // otherBucketGb 10 × 0.024 = 0.24
        assert.deepEqual(
            est.lines.map((l) => [l.kind, l.monthly, l.basis]),
            [["fixed", 0.24, "otherBucketGb 10 GB S3 Standard × $0.024"]],
        );
    });

    it("ElastiCache: node hours × nodes; a node type with no price is not priced", () => {
        const group = res("aws:elasticache/replicationGroup:ReplicationGroup", "redis", {
            nodeType: "cache.t4g.micro",
            numCacheClusters: 2,
        });
        // 2 × 730 × 0.016 = 23.36
        assert.equal(estimate([group], "us-east-1").lines[0].monthly, 23.36);
        assert.equal(
            estimate([group], "eu-west-2").lines[0].basis,
            "not priced: no ElastiCache price for cache.t4g.micro in the table for this region",
        );
    });

    it("OpenSearch: data and master instance hours plus EBS per node", () => {
        const domain = res("aws:opensearch/domain:Domain", "search", {
            clusterConfig: {
                instanceType: "t3.small.search",
                instanceCount: 2,
                dedicatedMasterEnabled: true,
                dedicatedMasterType: "t3.medium.search",
                dedicatedMasterCount: 3,
            },
            ebsOptions: { ebsEnabled: true, volumeType: "gp2", volumeSize: 20 },
        });
        // 2 × 730 × 0.036 = 52.56; 3 × 730 × 0.073 = 159.87; 2 × 20 × 0.135 = 5.40 → 217.83
        assert.equal(estimate([domain], "us-east-1").lines[0].monthly, 217.83);
    });

    it("CloudWatch logs: the usage file's GB ingested and kept for the retention; a flow log's group stores its records", () => {
        const group = res("aws:cloudwatch/logGroup:LogGroup", "app-logs", { retentionInDays: 365 });
        const flowGroup = res("aws:cloudwatch/logGroup:LogGroup", "flow-logs", { retentionInDays: 30 });
        const flow = res(
            "aws:ec2/flowLog:FlowLog",
            "flow",
            { logDestinationType: "cloud-watch-logs", logDestination: "arn:aws:logs:eu-west-2:1:log-group:flow-logs", trafficType: "ALL" },
            { logDestination: [flowGroup.urn] },
        );
        const est = estimate([group, flowGroup, flow], "eu-west-2");
        // otherLogGbPerGroupPerMonth 0.5 GB × 0.5985 + 0.5 × (365 / 30) GB × 0.0315 = 0.29925 + 0.191625 = 0.490875
        assert.equal(line(est.lines, "app-logs").monthly, 0.49);
        // flowLogGbPerMonth 5 GB × 0.5985 (vended) = 2.9925
        assert.equal(line(est.lines, "flow").monthly, 2.99);
        // 5 GB × 1 month kept × 0.0315 = 0.1575 (ingestion is on the flow log's line)
        assert.equal(line(est.lines, "flow-logs").monthly, 0.16);
        assert.equal(est.total, 3.64);
    });

    it("KMS keys (a rotating key at its capped price), secrets, alarms, dashboards, target-tracking policies", () => {
        const est = estimate(
            [
                res("aws:kms/key:Key", "key", {}),
                res("aws:kms/key:Key", "rotating", { enableKeyRotation: true }),
                res("aws:secretsmanager/secret:Secret", "secret", {}),
                res("aws:secretsmanager/secretVersion:SecretVersion", "secret-v", {}),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "alarm", { metricName: "CPUUtilization" }),
                res("aws:cloudwatch/metricAlarm:MetricAlarm", "math", {
                    metricQueries: [
                        { id: "e", expression: "m1 + m2" },
                        { id: "m1", metric: {} },
                        { id: "m2", metric: {} },
                    ],
                }),
                res("aws:cloudwatch/dashboard:Dashboard", "dash", {}),
                res("aws:appautoscaling/policy:Policy", "cpu", { policyType: "TargetTrackingScaling" }),
            ],
            "us-east-1",
        );
        assert.deepEqual(
            est.lines.map((l) => l.monthly),
            // 1.00; 1.00 + 2 rotations × 1.00 (the cap); 0.40; 0 (billed with its secret); 1 × 0.10; 2 metrics × 0.10; 3.00; 2 alarms × 0.10
            [1, 3, 0.4, 0, 0.1, 0.2, 3, 0.2],
        );
        assert.equal(est.total, 7.9);
    });

    it("Cloud Map: a private DNS namespace costs its Route 53 hosted zone; a service its registered instances", () => {
        const est = estimate(
            [
                res("aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace", "ns", { name: "archivematica.local" }),
                res("aws:servicediscovery/service:Service", "svc", {}),
            ],
            "eu-west-2",
        );
        assert.deepEqual(
            est.lines.map((l) => [l.monthly, l.basis]),
            [
                // 1 hosted zone × 0.50
                [0.5, "the Route 53 private hosted zone Cloud Map creates for it: $0.5 a hosted zone-month (DNS queries not priced)"],
                // 1 instance (no ECS service registers in it) × 0.10
                [0.1, "1 registered instance (no ECS service found: 1 assumed) × $0.1 (DNS queries not priced)"],
            ],
        );
        assert.equal(est.total, 0.6);
    });

    it("lists an unknown type as not priced, and components, providers and IAM as no charge", () => {
        const est = estimate(
            [
                { urn: `${P}pulumi:pulumi:Stack::s`, type: "pulumi:pulumi:Stack", name: "s", custom: false, inputs: {} },
                { urn: `${P}x:index:Thing::c`, type: "x:index:Thing", name: "c", custom: false, inputs: {} },
                res("aws:iam/role:Role", "role", {}),
                res("aws:sfn/stateMachine:StateMachine", "machine", {}),
            ],
            "us-east-1",
        );
        assert.deepEqual(
            est.lines.map((l) => [l.monthly, l.basis]),
            [
                [0, "no charge: the Pulumi stack"],
                [0, "no charge: a component (its children are priced)"],
                [0, "no charge: IAM"],
                [null, "not priced: type not in the price table"],
            ],
        );
    });
});

describe("cost estimate: the price table's sources", () => {
    it("every region names what a source confirmed and what none did", () => {
        for (const region of pricedRegions()) {
            assert.ok(PRICES[region].corroborated.length > 0, region);
            assert.ok(PRICES[region].unconfirmed.length > 0, region);
        }
    });

    it("the printed assumptions name the region's unconfirmed figures", () => {
        assert.deepEqual(
            describeUnconfirmed("eu-west-2"),
            PRICES["eu-west-2"].unconfirmed.map(
                (u) => `unconfirmed price, kept as written (no published source confirmed it; check before budgeting): ${u}`,
            ),
        );
        assert.equal(
            describeUnconfirmed("eu-west-2").pop(),
            "unconfirmed price, kept as written (no published source confirmed it; check before budgeting): EFS Standard $0.33 per GB-month: no eu-west-2 figure found",
        );
        assert.deepEqual(describeUnconfirmed("ap-south-1"), []);
    });
});

describe("cost estimate: regions, command line and the real stacks", function () {
    this.timeout(120_000);

    it("fails closed on an unpriced region, naming it and the priced ones", async () => {
        assert.throws(
            () => estimate([], "ap-south-1"),
            (e: Error) =>
                e instanceof UnpricedRegionError &&
                e.message === "region ap-south-1 has no prices in tools/cost/prices.ts; priced: eu-west-1, eu-west-2, us-east-1",
        );
        assert.deepEqual(pricedRegions(), ["eu-west-1", "eu-west-2", "us-east-1"]);
        // The command: a stack in that region is refused before it is planned, one line, exit 2.
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "cost-region-"));
        try {
            fs.writeFileSync(path.join(root, "Pulumi.yaml"), "name: archivematica-infra\nruntime: nodejs\n");
            fs.writeFileSync(path.join(root, "Pulumi.mumbai.yaml"), "config:\n  aws:region: ap-south-1\n");
            const out: string[] = [];
            const err: string[] = [];
            const code = await runCostCommand(["mumbai"], { out: (t) => out.push(t), err: (t) => err.push(t) }, root);
            assert.equal(code, 2);
            assert.deepEqual(out, []);
            assert.deepEqual(err, [
                "error: region ap-south-1 has no prices in tools/cost/prices.ts; priced: eu-west-1, eu-west-2, us-east-1",
            ]);
        } finally {
            fs.rmSync(root, { recursive: true, force: true });
        }
    });

    it("bad input is one line and exit 2; --help exits 0", async () => {
        const run = async (argv: string[]) => {
            const out: string[] = [];
            const err: string[] = [];
            const code = await runCostCommand(argv, { out: (t) => out.push(t), err: (t) => err.push(t) });
            return { code, out, err };
        };
        assert.deepEqual(await run(["--bogus"]), {
            code: 2,
            out: [],
            err: [
                "error: unknown option --bogus; valid: --usage <file>, --json, --help; usage: npm run cost -- <stack> [--usage <file>] [--json]",
            ],
        });
        assert.deepEqual(await run([]), {
            code: 2,
            out: [],
            err: ["error: no stack given; usage: npm run cost -- <stack> [--usage <file>] [--json]"],
        });
        assert.deepEqual(await run(["prod", "--usage"]), {
            code: 2,
            out: [],
            err: ["error: --usage needs a file, such as usage/prod.yaml; usage: npm run cost -- <stack> [--usage <file>] [--json]"],
        });
        const unknown = await run(["nosuch"]);
        assert.equal(unknown.code, 2);
        assert.deepEqual(unknown.err, [`error: unknown stack "nosuch"; valid: ${listStacks().join(", ")}`]);
        const help = await run(["--help"]);
        assert.equal(help.code, 0);
        assert.match(help.out[0], /^usage: npm run cost -- <stack> \[--usage <file>\] \[--json\]/);
        assert.deepEqual(parseCostArgs(["prod", "--json"]), { stack: "prod", json: true });
        assert.deepEqual(parseCostArgs(["prod", "--usage=usage/x.yaml"]), { stack: "prod", json: false, usageFile: "usage/x.yaml" });
    });

    it("the real process: a bad flag is one line on stderr, nothing on stdout, exit 2", () => {
        const r = spawnSync(process.execPath, commandArgs(path.join(ROOT, "tools/cost.ts"), ["--bogus"]), {
            cwd: ROOT,
            encoding: "utf8",
        });
        assert.equal(r.status, 2);
        assert.equal(r.stdout, "");
        assert.equal(
            r.stderr,
            "error: unknown option --bogus; valid: --usage <file>, --json, --help; usage: npm run cost -- <stack> [--usage <file>] [--json]\n",
        );
    });

    for (const stack of listStacks()) {
        it(`${stack}: every planned resource is priced, no charge with a reason, or listed as not priced`, async () => {
            const { estimate: est, resources } = await estimateStack(stack, ROOT, undefined, stackPlan);
            // Every resource has at least one line, in plan order; a resource's lines are together.
            assert.deepEqual(
                [...new Set(est.lines.map((l) => l.urn))],
                resources.map((r) => r.urn),
            );
            for (const l of est.lines) {
                assert.ok(LINE_KINDS.includes(l.kind), l.urn);
                if (l.monthly === null) assert.match(l.basis, /^not priced: /, l.urn);
                else if (l.monthly === 0) assert.match(l.basis, /^(no charge|under a cent a month: )/, l.urn);
                else assert.ok(l.monthly > 0 && l.basis.length > 0, l.urn);
            }
            // The figures the stack must not lose: its services, database, NAT and load balancer are priced.
            for (const type of [
                "aws:ecs/service:Service",
                "aws:rds/instance:Instance",
                "aws:ec2/natGateway:NatGateway",
                "aws:lb/loadBalancer:LoadBalancer",
            ]) {
                // A service queue scaling may leave at zero (the MCP clients with mcpClientMinCount 0) costs nothing idle.
                const of = est.lines.filter((l) => l.type === type && !l.basis.startsWith("no charge while idle: "));
                assert.ok(of.length > 0 && of.every((l) => (l.monthly ?? 0) > 0), type);
            }
            assert.ok(est.total > 0);
        });
    }
});
