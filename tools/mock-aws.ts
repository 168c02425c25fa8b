/**
 * Deterministic stand-ins for what AWS would answer: resource ids and computed outputs, and the data
 * source invokes the program calls. Same inputs, same answers, every run; an invoke we do not know is
 * an error naming it, never a silent empty answer.
 */
import { checkCapacityProviderRecord, RECORD_KIND } from "../lib/capacity-provider-record";
import { createHash } from "crypto";
import type { MockCallArgs, MockResourceArgs, MockResourceResult } from "@pulumi/pulumi/runtime/mocks";
import { regionFacts, zoneNames } from "../lib/aws-regions";
import { elbLogDeliveryAccount } from "../lib/elb-log-delivery";

/** The account every offline plan runs as. */
export const MOCK_ACCOUNT = "123456789012";

/** Prefix of every secret value the mocks invent (client secrets, secret values read at deploy time). */
export const MOCK_SECRET_MARK = "mock-secret-value";

/** The partition a Region's ARNs carry (`aws` for a Region the table lacks: the config check refuses those first). */
function partitionOf(region: string): string {
    return regionFacts(region)?.partition ?? "aws";
}

function hex(seed: string, length: number): string {
    return createHash("sha256").update(seed).digest("hex").slice(0, length);
}

/** Id prefixes AWS uses, so ids in the plan read like real ones. */
const ID_PREFIX: Record<string, string> = {
    "aws:ec2/vpc:Vpc": "vpc-",
    "aws:ec2/subnet:Subnet": "subnet-",
    "aws:ec2/securityGroup:SecurityGroup": "sg-",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg-",
    "aws:ec2/internetGateway:InternetGateway": "igw-",
    "aws:ec2/natGateway:NatGateway": "nat-",
    "aws:ec2/eip:Eip": "eipalloc-",
    "aws:ec2/routeTable:RouteTable": "rtb-",
    "aws:ec2/flowLog:FlowLog": "fl-",
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce-",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr-",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr-",
    "aws:efs/fileSystem:FileSystem": "fs-",
    "aws:efs/accessPoint:AccessPoint": "fsap-",
    "aws:efs/mountTarget:MountTarget": "fsmt-",
    "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace": "ns-",
    "aws:servicediscovery/service:Service": "srv-",
};

/** ARN service and resource path per type, for the types whose ARN the program reads. */
function arnFor(type: string, name: string, region: string, id: string): string {
    const mod = type.split(":")[1]?.split("/")[0] ?? "unknown";
    const a = (service: string, resource: string, r = region) => `arn:${partitionOf(region)}:${service}:${r}:${MOCK_ACCOUNT}:${resource}`;
    switch (type) {
        case "aws:iam/role:Role":
            return a("iam", `role/${name}`, "");
        case "aws:iam/policy:Policy":
            return a("iam", `policy/${name}`, "");
        case "aws:secretsmanager/secret:Secret":
            return a("secretsmanager", `secret:${name}-${hex(name, 6)}`);
        case "aws:cloudwatch/logGroup:LogGroup":
            return a("logs", `log-group:${name}`);
        case "aws:ecs/cluster:Cluster":
            return a("ecs", `cluster/${name}`);
        case "aws:ecs/taskDefinition:TaskDefinition":
            return a("ecs", `task-definition/${name}:1`);
        case "aws:ecs/service:Service":
            return a("ecs", `service/${name}`);
        case "aws:efs/fileSystem:FileSystem":
            return a("elasticfilesystem", `file-system/${id}`);
        case "aws:efs/accessPoint:AccessPoint":
            return a("elasticfilesystem", `access-point/${id}`);
        case "aws:rds/instance:Instance":
            return a("rds", `db:${name}`);
        case "aws:lb/loadBalancer:LoadBalancer":
            return a("elasticloadbalancing", `loadbalancer/app/${name}/${hex(name, 16)}`);
        case "aws:lb/targetGroup:TargetGroup":
            return a("elasticloadbalancing", `targetgroup/${name}/${hex(name, 16)}`);
        case "aws:kms/key:Key":
            return a("kms", `key/${id}`);
        case "aws:cognito/userPool:UserPool":
            return a("cognito-idp", `userpool/${id}`);
        case "aws:wafv2/webAcl:WebAcl":
            return a(
                "wafv2",
                `regional/webacl/${name}/${hex(name, 8)}-${hex(`${name}/1`, 4)}-${hex(`${name}/2`, 4)}-${hex(`${name}/3`, 4)}-${hex(`${name}/4`, 12)}`,
            );
        case "aws:s3/bucket:Bucket":
        case "aws:s3/bucketV2:BucketV2":
            return `arn:${partitionOf(region)}:s3:::${name}`;
        case "aws:sqs/queue:Queue":
            return a("sqs", name);
        case "aws:lambda/function:Function":
            return a("lambda", `function:${name}`);
        case "aws:dynamodb/table:Table":
            return a("dynamodb", `table/${name}`);
        case "aws:cloudwatch/eventRule:EventRule":
            return a("events", `rule/${name}`);
        default:
            return a(mod, `${mod}/${name}`);
    }
}

/** The id AWS would give the resource. */
function idFor(type: string, name: string): string {
    const prefix = ID_PREFIX[type];
    if (prefix) return `${prefix}${hex(`${type}/${name}`, 17)}`;
    return `${name}-id`;
}

/** Outputs AWS computes that the program reads, beyond echoing the inputs. */
function computed(
    type: string,
    name: string,
    region: string,
    inputs: Record<string, unknown>,
    id: string,
    arn: string,
): Record<string, unknown> {
    switch (type) {
        case "aws:rds/instance:Instance": {
            const address = `${inputs.identifier ?? name}.c${hex(name, 11)}.${region}.rds.amazonaws.com`;
            return {
                address,
                endpoint: `${address}:3306`,
                port: 3306,
                masterUserSecrets: inputs.manageMasterUserPassword
                    ? [
                          {
                              secretArn: `arn:${partitionOf(region)}:secretsmanager:${region}:${MOCK_ACCOUNT}:secret:rds!db-${hex(name, 8)}-${hex(name, 4)}-${hex(name, 4)}-${hex(name, 12)}-${hex(name, 6)}`,
                              secretStatus: "active",
                              kmsKeyId: "",
                          },
                      ]
                    : [],
            };
        }
        case "aws:elasticache/replicationGroup:ReplicationGroup":
            return {
                primaryEndpointAddress: `master.${inputs.replicationGroupId ?? name}.${hex(name, 6)}.${region.replace(/-/g, "")}.cache.amazonaws.com`,
                port: 6379,
            };
        case "aws:opensearch/domain:Domain":
            return {
                endpoint: `vpc-${inputs.domainName ?? name}-${hex(name, 26)}.${region}.es.amazonaws.com`,
                domainId: `${MOCK_ACCOUNT}/${name}`,
            };
        case "aws:lb/loadBalancer:LoadBalancer":
            return {
                dnsName: `${name}-${hex(name, 9)}.${region}.elb.amazonaws.com`,
                zoneId: "ZHURV8PSTC4K8",
                arnSuffix: arn.split(":loadbalancer/")[1],
            };
        case "aws:lb/targetGroup:TargetGroup":
            return { arnSuffix: arn.split(":")[5] };
        case "aws:ecs/taskDefinition:TaskDefinition":
            return { revision: 1, arnWithoutRevision: arn.replace(/:1$/, "") };
        case "aws:servicediscovery/privateDnsNamespace:PrivateDnsNamespace":
            return { hostedZone: `Z${hex(name, 20).toUpperCase()}` };
        case "aws:efs/fileSystem:FileSystem":
            return { dnsName: `${id}.efs.${region}.amazonaws.com` };
        case "aws:ec2/vpc:Vpc":
            return { defaultSecurityGroupId: `sg-${hex(`${name}/default`, 17)}`, mainRouteTableId: `rtb-${hex(`${name}/main`, 17)}` };
        case "aws:acm/certificate:Certificate": {
            // One CNAME per name, in the shape ACM answers (names end with a dot).
            const names = [String(inputs.domainName), ...((inputs.subjectAlternativeNames as string[] | undefined) ?? [])];
            return {
                domainValidationOptions: names.map((d) => ({
                    domainName: d,
                    resourceRecordName: `_${hex(`acm/${d}`, 32)}.${d}.`,
                    resourceRecordType: "CNAME",
                    resourceRecordValue: `_${hex(`acm-value/${d}`, 32)}.xlfgrmvvlj.acm-validations.aws.`,
                })),
            };
        }
        case "aws:route53/record:Record":
            return { fqdn: String(inputs.name).replace(/\.$/, "") };
        case "aws:cloudwatch/logGroup:LogGroup": {
            // A name from a prefix, as the provider makes it (prefix + 26 characters).
            if (typeof inputs.namePrefix !== "string" || inputs.name !== undefined) return {};
            const generated = `${inputs.namePrefix}${hex(`prefix/${name}`, 26)}`;
            return { name: generated, arn: `arn:aws:logs:${region}:${MOCK_ACCOUNT}:log-group:${generated}` };
        }
        case "aws:cognito/userPoolClient:UserPoolClient":
            // Recognisable, so tests can prove it never reaches an environment, an output or a plan line.
            return inputs.generateSecret ? { clientSecret: `${MOCK_SECRET_MARK}-cognito-${hex(name, 16)}` } : {};
        case "aws:sqs/queue:Queue":
            return { url: `https://sqs.${region}.amazonaws.com/${MOCK_ACCOUNT}/${inputs.name ?? name}` };
        case "aws:lambda/function:Function":
            return {
                invokeArn: `arn:aws:apigateway:${region}:lambda:path/2015-03-31/functions/${arn}/invocations`,
                qualifiedArn: `${arn}:$LATEST`,
            };
        case "random:index/randomId:RandomId":
            return { hex: `${inputs.prefix ?? ""}${hex(`id/${name}`, Number(inputs.byteLength) * 2)}` };
        case "random:index/randomPassword:RandomPassword":
        case "random:index/randomString:RandomString":
            return {
                result: createHash("sha256")
                    .update(`password/${name}`)
                    .digest("base64url")
                    .slice(0, Number(inputs.length ?? 32)),
            };
        default:
            return {};
    }
}

/**
 * Answers a resource registration: its id and output state. `previous` holds inputs of an earlier
 * deployment by resource name, for the resources whose check reads them (the capacity-provider record).
 */
export function mockState(
    args: MockResourceArgs,
    region: string,
    previous: Record<string, Record<string, unknown>> = {},
): MockResourceResult {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    if (args.custom === false) return { id: undefined, state: inputs };
    if (args.type === "pulumi-nodejs:dynamic:Resource" && inputs.kind === RECORD_KIND) {
        // What the record's dynamic provider checks, on the previous inputs given.
        return { id: RECORD_KIND, state: { ...inputs, ...checkCapacityProviderRecord(previous[args.name], inputs) } };
    }
    const id = idFor(args.type, args.name);
    const arn = arnFor(args.type, String(inputs.name ?? args.name), region, id);
    return {
        id,
        state: {
            ...inputs,
            id,
            arn,
            name: inputs.name ?? args.name,
            ...computed(args.type, args.name, region, inputs, id, arn),
        },
    };
}

/** Answers a data-source invoke, or fails naming it. */
export function answerInvoke(args: MockCallArgs, region: string): Record<string, unknown> {
    const inputs = (args.inputs ?? {}) as Record<string, unknown>;
    switch (args.token) {
        case "aws:index/getAvailabilityZones:getAvailabilityZones": {
            // The zones the Region gives an account (lib/aws-regions.ts), never more: a plan asking for
            // more sees no zone, as it would on AWS.
            const names = zoneNames(region);
            if (!names.length) throw new Error(`offline plan: no Availability Zones known for region ${region}`);
            return {
                id: region,
                names,
                zoneIds: names.map((_, i) => `${region.replace(/-/g, "").slice(0, 4)}-az${i + 1}`),
                state: "available",
            };
        }
        case "aws:index/getRegion:getRegion":
            return { id: region, name: region, region, endpoint: `ec2.${region}.amazonaws.com`, description: region };
        case "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                id: MOCK_ACCOUNT,
                accountId: MOCK_ACCOUNT,
                arn: `arn:${partitionOf(region)}:iam::${MOCK_ACCOUNT}:user/offline-plan`,
                userId: "AIDAOFFLINEPLAN0000000",
            };
        case "aws:ec2/getVpc:getVpc":
            // An existing VPC: its id is what the stack file says; its CIDR is a stand-in.
            return {
                id: String(inputs.id),
                arn: `arn:${partitionOf(region)}:ec2:${region}:${MOCK_ACCOUNT}:vpc/${String(inputs.id)}`,
                cidrBlock: "10.0.0.0/16",
                state: "available",
                tags: {},
            };
        case "aws:secretsmanager/getSecretVersion:getSecretVersion": {
            // The value of a secret the stack reads at deploy time (the OIDC client secret for the load
            // balancer): recognisable, so tests can prove it never reaches a plan line unmasked.
            const secretId = String(inputs.secretId);
            return {
                id: `${secretId}|AWSCURRENT`,
                arn: secretId,
                secretId,
                secretString: `${MOCK_SECRET_MARK}-${hex(secretId, 16)}`,
                versionStage: "AWSCURRENT",
                versionId: hex(secretId, 32),
                versionStages: ["AWSCURRENT"],
            };
        }
        case "aws:index/getPartition:getPartition": {
            const partition = regionFacts(region)?.partition ?? "aws";
            const dnsSuffix = partition === "aws-cn" ? "amazonaws.com.cn" : "amazonaws.com";
            return { id: partition, partition, dnsSuffix, reverseDnsPrefix: dnsSuffix.split(".").reverse().join(".") };
        }
        case "aws:elb/getServiceAccount:getServiceAccount": {
            const r = String(inputs.region ?? region);
            const account = elbLogDeliveryAccount(r);
            // The provider itself fails like this (service_account_data_source.go).
            if (!account) throw new Error(`unsupported AWS Region: ${r}`);
            return { id: account, arn: `arn:${partitionOf(r)}:iam::${account}:root`, region: r };
        }
        default:
            throw new Error(`offline plan: no mock answer for invoke ${args.token}; add one to tools/mock-aws.ts`);
    }
}
