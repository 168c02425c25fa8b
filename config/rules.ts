/**
 * Rules between keys, checked after every key has passed its own schema. Each rule names the keys it
 * reads, so a key that already failed on its own does not also produce a second, derived error.
 */
import { parseArn, partitionOf } from "../lib/arns";
import { anotherRegion, regionFacts } from "../lib/aws-regions";
import { LOG_RETENTION_DAYS } from "../lib/cloudwatch-logs";
import { elbLogDeliveryAccount, ELB_LOG_DELIVERY_ACCOUNTS } from "../lib/elb-log-delivery";
import { TRANSITION_MINIMUM_DAYS } from "../lib/s3-lifecycle";
import { ALB_CLIENT_PORTS, albInboundRules, DEFAULT_RULES_PER_DIRECTION } from "../lib/security-group-quotas";
import { scheduleProblem } from "../lib/schedule-expressions";
import { monitorMinutes, smokeSpacingMinutes } from "../lib/ingest-timing";
import { rateHours, show } from "./key-builders";
import { CONFIG_KEYS, StackKey, StackValues } from "./schema";
import { SIGN_IN_RULES } from "./sign-in";

/** One error line: `<key>: <problem>; valid: <valid>` (key without the project namespace, or `aws:…`). */
export interface Problem {
    key: StackKey | "aws:region";
    problem: string;
    valid: string;
}

/** What a rule may read besides the stack's keys. */
export interface RuleContext {
    region: string;
    /** The stack's policy config, when it has one: where stack config and policy must agree. */
    policy?: PolicyLimits;
    /** `aws:allowedAccountIds` and `aws:forbiddenAccountIds`, when the stack file sets them. */
    allowedAccountIds?: string[];
    forbiddenAccountIds?: string[];
    /** Keys that failed their own check: a rule over several keys skips those. */
    failed?: ReadonlySet<string>;
    /** This stack's name and the project's other stacks (name and environment). */
    stack?: string;
    siblings?: readonly { stack: string; environment: string }[];
}

/** Limits a stack's policy config sets that the stack config must meet. */
export interface PolicyLimits {
    /** The policy config file, as shown in an error. */
    file: string;
    /** `aws-cloudwatch-loggroup-require-retention`'s `minimumRetentionDays`, when that rule is enforced. */
    minimumLogRetentionDays?: number;
    /** `aws-rds-instance-require-minor-version-upgrade` is enforced: a pinned engine version would fail it. */
    minorVersionUpgradeRequired?: boolean;
    /** `aws-ec2-securitygroup-restrict-rule-count`'s `maximumRulesPerDirection` (the account's quota), when set. */
    maximumRulesPerDirection?: number;
}

export interface Rule {
    /** The keys the rule reads: the rule is skipped when one of them failed its own check. */
    reads: readonly StackKey[];
    /** The rule needs a valid `aws:region`, and is skipped without one (its problem is reported already). */
    needsRegion?: boolean;
    check(v: StackValues, ctx: RuleContext): Problem[];
}

/** Days of database and AWS Backup recovery points a stack with `protectData` must keep at least. */
export const MIN_PROTECTED_BACKUP_DAYS = 7;

/**
 * RDS storage autoscaling needs the maximum storage threshold at least 10 % above the allocated storage
 * (AWS RDS User Guide, "Managing capacity automatically with Amazon RDS storage autoscaling",
 * USER_PIOPS.Autoscaling: "set the maximum storage threshold to be at least 10% more than the current
 * allocated storage").
 */
export function minimumMaxStorageGiB(allocatedGiB: number): number {
    return Math.ceil((allocatedGiB * 11) / 10); // integer arithmetic: 100 * 1.1 is 110.00000000000001
}

/**
 * Availability zones an OpenSearch domain spreads `instanceCount` data nodes over: 1 (no zone
 * awareness) for a single node; 3 when the network has 3 zones and the count divides by 3; else 2
 * when the count is even. `undefined` when the nodes cannot be spread evenly.
 */
export function openSearchZoneCount(instanceCount: number, azCount: number): 1 | 2 | 3 | undefined {
    if (instanceCount === 1) return 1;
    if (azCount >= 3 && instanceCount % 3 === 0) return 3;
    if (instanceCount % 2 === 0) return 2;
    return undefined;
}

/** Availability zones the network spans: the zone count of a new VPC, or the existing private subnets. */
export function azCountOf(v: Pick<StackValues, "vpcId" | "availabilityZones" | "privateSubnetIds">): number {
    return v.vpcId ? v.privateSubnetIds.length : v.availabilityZones;
}

const SEARCH_URL = /^https?:\/\/[^:@/\s]+:[^@/\s]+@[A-Za-z0-9.-]+(:\d{1,5})?\/?$/;

const one = (key: Problem["key"], problem: string, valid: string): Problem[] => [{ key, problem, valid }];

/** A stack with `protectData` keeps recovery points (database backups, AWS Backup) at least a week. */
function protectedRetention(key: "dbBackupRetentionDays" | "backupRetentionDays", maxDays: number): Rule {
    return {
        reads: ["protectData", key],
        check: (v) =>
            v.protectData && v[key] < MIN_PROTECTED_BACKUP_DAYS
                ? one(
                      key,
                      `${v[key]} is too short for a stack whose data is protected (protectData is true)`,
                      `${MIN_PROTECTED_BACKUP_DAYS} to ${maxDays}`,
                  )
                : [],
    };
}

/** Keys whose value is an AWS identifier of a kind (from their declaration), with the kind. */
function keysOfFormat<K extends "arn" | "region">(kind: K) {
    return CONFIG_KEYS.flatMap((k) =>
        k.format?.kind === kind ? [{ key: k.key, format: k.format as Extract<NonNullable<typeof k.format>, { kind: K }> }] : [],
    );
}

/**
 * Every ARN key (whoever declares it): in the stack's partition; in its Region where AWS requires it;
 * and, where AWS requires the stack's own account, in one account shared by all such keys, allowed by
 * `aws:allowedAccountIds` and not forbidden by `aws:forbiddenAccountIds`.
 */
const ARN_KEYS_RULE: Rule = {
    reads: [],
    needsRegion: true,
    check: (v, ctx) => {
        const partition = partitionOf(ctx.region);
        const problems: Problem[] = [];
        let account: { key: StackKey; id: string } | undefined;
        for (const { key, format } of keysOfFormat("arn")) {
            const value = v[key];
            if (typeof value !== "string" || value === "" || ctx.failed?.has(key)) continue;
            const a = parseArn(value);
            if (!a) continue;
            const noun = `${format.noun} in ${ctx.region}`;
            if (a.partition !== partition) {
                problems.push({
                    key,
                    problem: `is in the ${a.partition} partition but the stack's region ${ctx.region} (aws:region) is in ${partition}`,
                    valid: noun,
                });
                continue;
            }
            if (format.sameRegion && a.region !== ctx.region) {
                problems.push({ key, problem: `is in ${a.region} but the stack's region (aws:region) is ${ctx.region}`, valid: noun });
                continue;
            }
            if (!format.sameAccount) continue;
            if (ctx.allowedAccountIds && !ctx.allowedAccountIds.includes(a.account)) {
                problems.push({
                    key,
                    problem: `is in account ${a.account}, which aws:allowedAccountIds does not allow`,
                    valid: `${format.noun} of account ${ctx.allowedAccountIds.join(" or ")}`,
                });
                continue;
            }
            if (ctx.forbiddenAccountIds?.includes(a.account)) {
                problems.push({
                    key,
                    problem: `is in account ${a.account}, which aws:forbiddenAccountIds forbids`,
                    valid: `${format.noun} of the account the stack deploys to`,
                });
                continue;
            }
            if (account && account.id !== a.account) {
                problems.push({
                    key,
                    problem: `is in account ${a.account} but ${account.key} is in ${account.id}; AWS uses both only from the account the stack deploys to`,
                    valid: `${format.noun} of account ${account.id}`,
                });
                continue;
            }
            account ??= { key, id: a.account };
        }
        return problems;
    },
};

/** Every Region key (whoever declares it): a Region AWS has; a second Region differs from the stack's and shares its partition. */
const REGION_KEYS_RULE: Rule = {
    reads: [],
    needsRegion: true,
    check: (v, ctx) => {
        const problems: Problem[] = [];
        for (const { key, format } of keysOfFormat("region")) {
            const value = v[key];
            if (typeof value !== "string" || value === "" || ctx.failed?.has(key)) continue;
            const other = anotherRegion(ctx.region);
            const valid = `empty, or an AWS region of the ${partitionOf(ctx.region)} partition other than ${ctx.region}, such as ${other}`;
            const facts = regionFacts(value);
            if (!facts) problems.push({ key, problem: `"${value}" is not an AWS Region`, valid });
            else if (format.otherThanStack && value === ctx.region)
                problems.push({ key, problem: `is the stack's own region ${ctx.region} (aws:region)`, valid });
            else if (facts.partition !== partitionOf(ctx.region))
                problems.push({
                    key,
                    problem: `"${value}" is in the ${facts.partition} partition but the stack's region ${ctx.region} is in ${partitionOf(ctx.region)}`,
                    valid,
                });
        }
        return problems;
    },
};

/** The rules, in the order their errors are listed. */
export const RULES: readonly Rule[] = [
    {
        // A smoke run lasts until the ingest monitor must have told its outcome; the next may start only then.
        reads: ["smokeTestSchedule", "ingestStartGraceMinutes", "ingestMonitorSchedule"],
        check: (v) => {
            const minutes = smokeSpacingMinutes({
                startGraceMinutes: v.ingestStartGraceMinutes,
                monitorMinutes: monitorMinutes(v.ingestMonitorSchedule),
            });
            const problem = scheduleProblem(v.smokeTestSchedule, minutes, new Date());
            if (!problem) return [];
            return one(
                "smokeTestSchedule",
                `${show(v.smokeTestSchedule)} ${problem} (one run's budget with ingestStartGraceMinutes ${v.ingestStartGraceMinutes} and ingestMonitorSchedule ${v.ingestMonitorSchedule})`,
                `runs at least ${minutes} minutes apart, e.g. rate(1 day); or a shorter ingestStartGraceMinutes or ingestMonitorSchedule`,
            );
        },
    },
    {
        // A run must end before the next starts, and every AIP needs at least one run per window.
        reads: ["fixitySchedule", "fixityWindowDays", "fixityMaxRunHours"],
        check: (v) => {
            const hours = rateHours(v.fixitySchedule);
            const problems: Problem[] = [];
            if (hours > v.fixityWindowDays * 24)
                problems.push({
                    key: "fixitySchedule",
                    problem: `${v.fixitySchedule} runs less often than once per fixityWindowDays (${v.fixityWindowDays} days)`,
                    valid: `a rate of at most ${v.fixityWindowDays} days`,
                });
            if (v.fixityMaxRunHours >= hours)
                problems.push({
                    key: "fixityMaxRunHours",
                    problem: `${v.fixityMaxRunHours} h lets a run last until the next (${v.fixitySchedule})`,
                    valid: `fewer than ${hours} hours`,
                });
            return problems;
        },
    },
    {
        reads: ["vpcId", "publicSubnetIds", "privateSubnetIds"],
        check: (v) =>
            v.vpcId
                ? []
                : (["publicSubnetIds", "privateSubnetIds"] as const)
                      .filter((key) => v[key].length > 0)
                      .map((key) => ({
                          key,
                          problem: "subnet ids are only used with an existing VPC",
                          valid: "an empty list, or set archivematica-infra:vpcId",
                      })),
    },
    {
        reads: ["vpcId", "vpcCidr"],
        check: (v) => {
            const prefix = Number(v.vpcCidr.split("/")[1]);
            if (v.vpcId || (prefix >= 16 && prefix <= 24)) return [];
            return one("vpcCidr", `/${prefix} cannot hold the subnets (16 blocks of /${prefix + 4})`, "a CIDR from /16 to /24");
        },
    },
    {
        reads: ["vpcId", "publicSubnetIds", "privateSubnetIds"],
        check: (v) =>
            v.vpcId
                ? (["publicSubnetIds", "privateSubnetIds"] as const)
                      .filter((key) => v[key].length < 2)
                      .map((key) => ({
                          key,
                          problem: `${v[key].length} subnet(s) given with vpcId`,
                          valid: "at least 2 subnet ids in different availability zones",
                      }))
                : [],
    },
    {
        reads: ["publicSubnetIds", "privateSubnetIds"],
        check: (v) => {
            const shared = v.privateSubnetIds.filter((id) => v.publicSubnetIds.includes(id));
            if (!shared.length) return [];
            return one(
                "privateSubnetIds",
                `${shared.join(", ")} ${shared.length === 1 ? "is" : "are"} also in publicSubnetIds`,
                "private subnets other than the public ones (tasks and data stores never share the load balancer's subnets)",
            );
        },
    },
    {
        reads: ["dbAllocatedStorageGiB", "dbMaxAllocatedStorageGiB"],
        check: (v) => {
            const least = minimumMaxStorageGiB(v.dbAllocatedStorageGiB);
            if (v.dbMaxAllocatedStorageGiB >= least) return [];
            return one(
                "dbMaxAllocatedStorageGiB",
                `${v.dbMaxAllocatedStorageGiB} is less than 10 % above dbAllocatedStorageGiB (${v.dbAllocatedStorageGiB}), which RDS storage autoscaling needs`,
                `${least} to 65536`,
            );
        },
    },
    protectedRetention("dbBackupRetentionDays", 35),
    protectedRetention("backupRetentionDays", 36500),
    {
        // The lock config is a child of the vault: an unprotected stack's `pulumi destroy` removes the
        // lock first, then the vault with every recovery point (forceDestroy). Such a lock protects nothing.
        reads: ["protectData", "backupVaultLock"],
        check: (v) =>
            v.backupVaultLock && !v.protectData
                ? one(
                      "backupVaultLock",
                      "true needs protectData true: without it pulumi destroy removes the lock and then the vault with every recovery point",
                      "false, or set protectData true",
                  )
                : [],
    },
    {
        reads: ["searchMode", "searchUrl"],
        check: (v) => {
            if (v.searchMode !== "external")
                return v.searchUrl ? one("searchUrl", `is set but searchMode is ${v.searchMode}`, "unset, or searchMode external") : [];
            if (!v.searchUrl)
                return one("searchUrl", "required when searchMode is external", "a secret https://user:password@host:9200 URL");
            if (!SEARCH_URL.test(v.searchUrl))
                return one("searchUrl", "the secret value is not a URL with credentials", "https://user:password@host:9200");
            return [];
        },
    },
    {
        reads: ["searchMode", "archivematicaVersion"],
        check: (v) =>
            v.searchMode === "opensearch" && v.archivematicaVersion === "1.18"
                ? one(
                      "searchMode",
                      "opensearch is not possible with Archivematica 1.18, which needs Elasticsearch 8 and Amazon OpenSearch Service offers Elasticsearch only up to 7.10",
                      "disabled, or external with an Elasticsearch 8 URL (e.g. Elastic Cloud); opensearch needs archivematicaVersion 1.17",
                  )
                : [],
    },
    {
        reads: ["searchMode", "archivematicaVersion", "openSearchInstanceType"],
        check: (v) =>
            v.searchMode === "opensearch" && v.archivematicaVersion !== "1.18" && /^t2\./.test(v.openSearchInstanceType)
                ? one(
                      "openSearchInstanceType",
                      `"${v.openSearchInstanceType}" supports neither encryption at rest nor fine-grained access control`,
                      "a current instance type such as t3.medium.search or m6g.large.search",
                  )
                : [],
    },
    {
        reads: ["searchMode", "archivematicaVersion", "openSearchInstanceCount", "vpcId", "availabilityZones", "privateSubnetIds"],
        check: (v) => {
            const azCount = azCountOf(v);
            if (v.searchMode !== "opensearch" || v.archivematicaVersion === "1.18") return [];
            if (openSearchZoneCount(v.openSearchInstanceCount, azCount) !== undefined) return [];
            return one(
                "openSearchInstanceCount",
                `${v.openSearchInstanceCount} data nodes cannot be spread evenly over the network's ${azCount} availability zones`,
                azCount >= 3
                    ? "1, an even number, or a multiple of 3"
                    : "1 or an even number (or a multiple of 3 with availabilityZones 3)",
            );
        },
    },
    {
        reads: ["searchMode", "archivematicaVersion", "openSearchDedicatedMasters", "openSearchInstanceCount"],
        check: (v) =>
            v.searchMode === "opensearch" &&
            v.archivematicaVersion !== "1.18" &&
            v.openSearchDedicatedMasters &&
            v.openSearchInstanceCount < 2
                ? one(
                      "openSearchDedicatedMasters",
                      "three dedicated masters for a single data node add cost and no resilience",
                      "false, or openSearchInstanceCount 2 or more",
                  )
                : [],
    },
    {
        reads: ["dashboardHostname", "storageServiceHostname"],
        check: (v) =>
            v.dashboardHostname === v.storageServiceHostname
                ? one("storageServiceHostname", "is the same as dashboardHostname", "a host name other than the dashboard's")
                : [],
    },
    {
        reads: ["certificateArn", "hostedZoneId"],
        check: (v) =>
            !v.certificateArn && !v.hostedZoneId
                ? one(
                      "certificateArn",
                      "is not set and there is no hostedZoneId to create a certificate in",
                      "an ACM certificate ARN covering both host names, or set archivematica-infra:hostedZoneId",
                  )
                : [],
    },
    {
        reads: ["imageRegistry", "dockerHubCredentialsSecretArn"],
        check: (v) =>
            v.imageRegistry && v.dockerHubCredentialsSecretArn
                ? one(
                      "imageRegistry",
                      "is set together with dockerHubCredentialsSecretArn",
                      "empty (the pull-through cache serves the images), or unset dockerHubCredentialsSecretArn",
                  )
                : [],
    },
    {
        reads: ["mcpClientMinCount", "mcpClientMaxCount"],
        check: (v) =>
            v.mcpClientMinCount > v.mcpClientMaxCount
                ? one(
                      "mcpClientMinCount",
                      `${v.mcpClientMinCount} is above mcpClientMaxCount (${v.mcpClientMaxCount})`,
                      `0 to ${v.mcpClientMaxCount}`,
                  )
                : [],
    },
    {
        reads: ["mcpClientMinCount", "mcpClientMaxCount", "mcpClientDesiredCount"],
        check: (v) => {
            const { mcpClientMinCount: min, mcpClientMaxCount: max, mcpClientDesiredCount: desired } = v;
            if (min > max || (desired >= min && desired <= max)) return [];
            return one("mcpClientDesiredCount", `${desired} is outside mcpClientMinCount..mcpClientMaxCount`, `${min} to ${max}`);
        },
    },
    {
        // The component's own check (ArchivalStorage), reported here first with the config keys' names.
        reads: ["aipStorageClass", "aipTransitionDays"],
        check: (v) => {
            const least = TRANSITION_MINIMUM_DAYS[v.aipStorageClass];
            if (v.aipTransitionDays >= least) return [];
            return one(
                "aipTransitionDays",
                `${v.aipTransitionDays} is below S3's minimum for aipStorageClass ${v.aipStorageClass}`,
                `${least} to 3650`,
            );
        },
    },
    {
        reads: ["logRetentionDays"],
        check: (v, ctx) => {
            const least = ctx.policy?.minimumLogRetentionDays;
            if (least === undefined || v.logRetentionDays >= least) return [];
            return one(
                "logRetentionDays",
                `${v.logRetentionDays} is below the ${least} days this stack's policy config requires (${ctx.policy?.file}: aws-cloudwatch-loggroup-require-retention minimumRetentionDays)`,
                LOG_RETENTION_DAYS.filter((d) => d >= least).join(", "),
            );
        },
    },
    ...SIGN_IN_RULES,
    ARN_KEYS_RULE,
    REGION_KEYS_RULE,
    {
        // environment names the stack's physical resources (RDS identifier, ECR prefix, task families,
        // Cloud Map namespace): a second stack with the same one collides with the first in an account.
        reads: ["environment"],
        check: (v, ctx) => {
            const same = (ctx.siblings ?? []).filter((s) => s.environment === v.environment).map((s) => s.stack);
            if (!same.length) return [];
            return one(
                "environment",
                `"${v.environment}" is also the environment of stack ${same.join(", ")}; it names the physical resources (archivematica-db-${v.environment}, dockerhub-${v.environment}/…), so the two stacks would fight over them`,
                `an environment of this stack's own, e.g. "${`${v.environment.slice(0, 17)}-2`}" (and change the names, host names and tags copied from Pulumi.${same[0]}.yaml)`,
            );
        },
    },
    {
        // The plan spreads subnets over that many zones; the Region must have them (lib/aws-regions.ts).
        reads: ["vpcId", "availabilityZones"],
        needsRegion: true,
        check: (v, ctx) => {
            const zones = regionFacts(ctx.region)?.zones ?? 0;
            if (v.vpcId || v.availabilityZones <= zones) return [];
            return one(
                "availabilityZones",
                `${v.availabilityZones} is more than the ${zones} Availability Zones ${ctx.region} gives an account`,
                zones > 2 ? `2 to ${Math.min(3, zones)}` : "2",
            );
        },
    },
    {
        reads: ["albAccessLogs"],
        needsRegion: true,
        check: (v, ctx) =>
            v.albAccessLogs && !elbLogDeliveryAccount(ctx.region)
                ? one(
                      "albAccessLogs",
                      `true in ${ctx.region}, where the AWS provider knows no Elastic Load Balancing log-delivery account (aws.elb.getServiceAccount fails: "unsupported AWS Region")`,
                      `false, or a Region among ${Object.keys(ELB_LOG_DELIVERY_ACCOUNTS).join(", ")}`,
                  )
                : [],
    },
    {
        reads: ["allowedCidrs"],
        check: (v, ctx) => {
            const quota = ctx.policy?.maximumRulesPerDirection ?? DEFAULT_RULES_PER_DIRECTION;
            const rules = albInboundRules(v.allowedCidrs.length);
            if (rules <= quota) return [];
            return one(
                "allowedCidrs",
                `${v.allowedCidrs.length} networks make ${rules} inbound rules on the load balancer's security group (ports ${ALB_CLIENT_PORTS.join(" and ")} each), more than the ${quota} AWS allows per group${ctx.policy?.maximumRulesPerDirection ? ` (${ctx.policy.file}: aws-ec2-securitygroup-restrict-rule-count maximumRulesPerDirection)` : " by default"}`,
                `at most ${Math.floor(quota / ALB_CLIENT_PORTS.length)} networks (merge neighbouring ones into wider CIDRs), or a raised quota set as aws-ec2-securitygroup-restrict-rule-count maximumRulesPerDirection in the policy config`,
            );
        },
    },
    {
        // A full version (8.4.3) turns automatic minor upgrades off (components/data/database.ts), which the
        // policy rule refuses when the stack's policy config enforces it: refused here, naming the key.
        reads: ["dbEngineVersion"],
        check: (v, ctx) =>
            ctx.policy?.minorVersionUpgradeRequired && v.dbEngineVersion.split(".").length > 2
                ? one(
                      "dbEngineVersion",
                      `${v.dbEngineVersion} pins the engine and turns automatic minor upgrades off, which this stack's policy config forbids (${ctx.policy.file}: aws-rds-instance-require-minor-version-upgrade is mandatory)`,
                      `${v.dbEngineVersion.split(".").slice(0, 2).join(".")} (a major version, upgraded automatically), or make that rule advisory in the policy config`,
                  )
                : [],
    },
];
