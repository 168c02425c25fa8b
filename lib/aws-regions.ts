/**
 * AWS Regions: the partition each belongs to and the Availability Zones an account can use there.
 *
 * The list is the one the AWS provider knows (@pulumi/aws `Region` enum, types/enums/index.d.ts of
 * @pulumi/aws 7.48.0; test/aws-facts.test.ts keeps the two equal). Partitions follow the AWS SDKs'
 * partitions.json (aws/aws-sdk-js-v3 packages/util-endpoints/src/lib/aws/partitions.json: `aws`,
 * `aws-cn` `^cn-…`, `aws-us-gov` `^us-gov-…`, `aws-iso` `^us-iso-…`, `aws-iso-b` `^us-isob-…`,
 * `aws-iso-e` `^eu-isoe-…`, `aws-iso-f` `^us-isof-…`, `aws-eusc` `^eusc-de-…`).
 *
 * Zones: AWS Regions and Availability Zones, docs.aws.amazon.com/global-infrastructure/latest/regions/
 * aws-regions.html ("Availability Zones" per Region). Where AWS gives new accounts fewer zones than the
 * Region has (US West (N. California): two of three; Asia Pacific (Tokyo): three of four), the count
 * here is what a new account gets, because that is what a plan can rely on. The isolated partitions
 * (ISO, ISO-B, ISO-E, ISO-F) publish no zone counts: `zones` is undefined there, and a stack is refused
 * rather than planned against invented zones.
 */

/** An AWS partition, as ARNs spell it. */
export type Partition = "aws" | "aws-cn" | "aws-us-gov" | "aws-iso" | "aws-iso-b" | "aws-iso-e" | "aws-iso-f" | "aws-eusc";

/** What the program needs to know about a Region. */
export interface RegionFacts {
    partition: Partition;
    /** Availability Zones a new account can use; undefined where AWS does not publish them. */
    zones?: number;
}

const commercial = (zones: number): RegionFacts => ({ partition: "aws", zones });

/** Every Region the AWS provider knows. */
export const REGIONS: Readonly<Record<string, RegionFacts>> = {
    "af-south-1": commercial(3),
    "ap-east-1": commercial(3),
    "ap-east-2": commercial(3),
    "ap-northeast-1": commercial(3),
    "ap-northeast-2": commercial(4),
    "ap-northeast-3": commercial(3),
    "ap-south-1": commercial(3),
    "ap-south-2": commercial(3),
    "ap-southeast-1": commercial(3),
    "ap-southeast-2": commercial(3),
    "ap-southeast-3": commercial(3),
    "ap-southeast-4": commercial(3),
    "ap-southeast-5": commercial(3),
    "ap-southeast-6": commercial(3),
    "ap-southeast-7": commercial(3),
    "ca-central-1": commercial(3),
    "ca-west-1": commercial(3),
    "eu-central-1": commercial(3),
    "eu-central-2": commercial(3),
    "eu-north-1": commercial(3),
    "eu-south-1": commercial(3),
    "eu-south-2": commercial(3),
    "eu-west-1": commercial(3),
    "eu-west-2": commercial(3),
    "eu-west-3": commercial(3),
    "il-central-1": commercial(3),
    "me-central-1": commercial(3),
    "me-south-1": commercial(3),
    "mx-central-1": commercial(3),
    "sa-east-1": commercial(3),
    "us-east-1": commercial(6),
    "us-east-2": commercial(3),
    "us-west-1": commercial(2),
    "us-west-2": commercial(4),
    "cn-north-1": { partition: "aws-cn", zones: 3 },
    "cn-northwest-1": { partition: "aws-cn", zones: 3 },
    "us-gov-east-1": { partition: "aws-us-gov", zones: 3 },
    "us-gov-west-1": { partition: "aws-us-gov", zones: 3 },
    "eusc-de-east-1": { partition: "aws-eusc" },
    "us-iso-east-1": { partition: "aws-iso" },
    "us-iso-west-1": { partition: "aws-iso" },
    "us-isob-east-1": { partition: "aws-iso-b" },
    "us-isob-west-1": { partition: "aws-iso-b" },
    "eu-isoe-west-1": { partition: "aws-iso-e" },
    "us-isof-east-1": { partition: "aws-iso-f" },
    "us-isof-south-1": { partition: "aws-iso-f" },
};

/** The facts of a Region, or undefined for a name AWS does not have. */
export function regionFacts(region: string): RegionFacts | undefined {
    return Object.prototype.hasOwnProperty.call(REGIONS, region) ? REGIONS[region] : undefined;
}

/** Regions where a stack can be planned: known, with published zones. */
export const PLANNABLE_REGIONS: readonly string[] = Object.keys(REGIONS).filter((r) => REGIONS[r].zones !== undefined);

/**
 * The Availability Zone names a plan uses for a Region: its first `zones` letters. (The letters an
 * account sees are mapped per account; only their number is a fact of the Region.)
 */
export function zoneNames(region: string): string[] {
    const zones = regionFacts(region)?.zones ?? 0;
    return Array.from({ length: zones }, (_, i) => `${region}${String.fromCharCode(97 + i)}`);
}

/** A Region of the same partition other than `region`, the nearest by name, for examples in messages. */
export function anotherRegion(region: string): string {
    const partition = regionFacts(region)?.partition ?? "aws";
    const candidates = PLANNABLE_REGIONS.filter((r) => r !== region && REGIONS[r].partition === partition);
    const area = region.replace(/-\d+$/, "-");
    const continent = `${region.split("-")[0]}-`;
    return candidates.find((r) => r.startsWith(area)) ?? candidates.find((r) => r.startsWith(continent)) ?? candidates[0];
}
