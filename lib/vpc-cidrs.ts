/**
 * What AWS accepts as the IPv4 CIDR block of a new VPC (Amazon VPC User Guide, "VPC CIDR blocks",
 * vpc-cidr-blocks.md in awsdocs/amazon-vpc-user-guide): a block from /16 to /28; RFC 1918 ranges
 * recommended, publicly routable ones allowed; the link-local block 169.254.0.0/16 "reserved … and cannot
 * be assigned to VPCs"; and 172.17.0.0/16 to be avoided ("Some AWS services use the 172.17.0.0/16 CIDR
 * range. To avoid future conflicts, don't use this range"). Addresses that are not unicast at all —
 * "this network" 0.0.0.0/8, loopback 127.0.0.0/8, multicast 224.0.0.0/4 and the reserved 240.0.0.0/4
 * (IANA IPv4 Special-Purpose Address Registry, RFC 6890) — are neither private nor publicly routable.
 */

/** Ranges a VPC's CIDR must not overlap, with the reason shown in the error. */
export const RESERVED_VPC_RANGES: readonly { cidr: string; why: string }[] = [
    { cidr: "0.0.0.0/8", why: '"this network" (RFC 1122), not unicast' },
    { cidr: "127.0.0.0/8", why: "loopback" },
    { cidr: "169.254.0.0/16", why: "link-local, which AWS reserves and cannot assign to a VPC" },
    { cidr: "172.17.0.0/16", why: "used by AWS services (Docker's bridge network); the VPC User Guide says not to use it" },
    { cidr: "224.0.0.0/4", why: "multicast" },
    { cidr: "240.0.0.0/4", why: "reserved (class E and broadcast)" },
];

function toRange(cidr: string): [number, number] {
    const [address, bits] = cidr.split("/");
    const n = address.split(".").reduce((acc, o) => acc * 256 + Number(o), 0);
    const size = 2 ** (32 - Number(bits));
    const start = n - (n % size);
    return [start, start + size - 1];
}

/** The reserved range that holds all of `cidr`, or undefined (a client network such as 0.0.0.0/0 holds more). */
export function reservedContaining(cidr: string): { cidr: string; why: string } | undefined {
    const [a, b] = toRange(cidr);
    return RESERVED_VPC_RANGES.find((r) => {
        const [c, d] = toRange(r.cidr);
        return c <= a && b <= d;
    });
}

/** The reserved range `cidr` overlaps, or undefined. `cidr` is a valid IPv4 CIDR. */
export function reservedOverlap(cidr: string): { cidr: string; why: string } | undefined {
    const [a, b] = toRange(cidr);
    return RESERVED_VPC_RANGES.find((r) => {
        const [c, d] = toRange(r.cidr);
        return a <= d && c <= b;
    });
}
