/**
 * Whether a CIDR block reaches public address space: any address outside the private and special-purpose
 * ranges. `0.0.0.0/1` is public (it holds 1.0.0.0 and on), `10.0.0.0/8` is not, `0.0.0.0/0` and `::/0`
 * are. A security group rule is judged by its widest reach, so one public address makes it public.
 *
 * The non-public IPv4 ranges are those of the IANA IPv4 Special-Purpose Address Registry that are not
 * globally reachable (RFC 6890 and its updates: RFC 1122 "this network", RFC 1918 private, RFC 6598
 * shared, loopback, link-local, IETF protocol assignments, the three documentation networks, RFC 2544
 * benchmarking), plus multicast (224.0.0.0/4) and the reserved 240.0.0.0/4, neither of which is a
 * source of unicast traffic. For IPv6 the public space is global unicast 2000::/3 except documentation
 * (2001:db8::/32), plus the NAT64 well-known prefix 64:ff9b::/96 (RFC 6052), which maps all of IPv4.
 */

/** An inclusive range of addresses. */
interface Range {
    start: bigint;
    end: bigint;
}

/** The first and last address of a block, `bits` wide (32 or 128). */
function blockRange(address: bigint, prefix: number, bits: number): Range {
    const size = 1n << BigInt(bits - prefix);
    const start = (address / size) * size;
    return { start, end: start + size - 1n };
}

/** IPv4 dotted quad → number, or undefined. */
function parseIpv4(text: string): bigint | undefined {
    const parts = text.split(".");
    if (parts.length !== 4 || !parts.every((p) => /^(0|[1-9]\d{0,2})$/.test(p) && Number(p) <= 255)) return undefined;
    return parts.reduce((n, p) => n * 256n + BigInt(p), 0n);
}

/** IPv6 text (with `::` and an optional dotted-quad tail) → number, or undefined. */
function parseIpv6(text: string): bigint | undefined {
    let s = text.toLowerCase();
    const tail = /^(.*:)(\d+\.\d+\.\d+\.\d+)$/.exec(s);
    if (tail) {
        const v4 = parseIpv4(tail[2]);
        if (v4 === undefined) return undefined;
        s = `${tail[1]}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
    }
    const halves = s.split("::");
    if (halves.length > 2) return undefined;
    const groups = (h: string) => (h === "" ? [] : h.split(":"));
    const head = groups(halves[0]);
    const rest = halves.length === 2 ? groups(halves[1]) : [];
    const missing = 8 - head.length - rest.length;
    if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
    const all = [...head, ...Array<string>(halves.length === 2 ? missing : 0).fill("0"), ...rest];
    if (!all.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
    return all.reduce((n, g) => n * 65536n + BigInt(parseInt(g, 16)), 0n);
}

/** A CIDR block as its version and address range, or undefined when the text is not a CIDR. */
export function parseCidr(cidr: string): { version: 4 | 6; range: Range } | undefined {
    const m = /^([^/\s]+)\/(\d{1,3})$/.exec(cidr.trim());
    if (!m) return undefined;
    const prefix = Number(m[2]);
    const v4 = parseIpv4(m[1]);
    if (v4 !== undefined) return prefix <= 32 ? { version: 4, range: blockRange(v4, prefix, 32) } : undefined;
    const v6 = parseIpv6(m[1]);
    if (v6 !== undefined) return prefix <= 128 ? { version: 6, range: blockRange(v6, prefix, 128) } : undefined;
    return undefined;
}

function ranges(blocks: readonly string[]): Range[] {
    return blocks.map((b) => parseCidr(b)!.range).sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}

/** IPv4 blocks that are not public (see the module comment). */
export const NON_PUBLIC_IPV4: readonly string[] = [
    "0.0.0.0/8",
    "10.0.0.0/8",
    "100.64.0.0/10",
    "127.0.0.0/8",
    "169.254.0.0/16",
    "172.16.0.0/12",
    "192.0.0.0/24",
    "192.0.2.0/24",
    "192.168.0.0/16",
    "198.18.0.0/15",
    "198.51.100.0/24",
    "203.0.113.0/24",
    "224.0.0.0/4",
    "240.0.0.0/4",
];

/** IPv6 public space, as ranges (see the module comment). */
const PUBLIC_IPV6: readonly Range[] = (() => {
    const unicast = parseCidr("2000::/3")!.range;
    const doc = parseCidr("2001:db8::/32")!.range;
    return [parseCidr("64:ff9b::/96")!.range, { start: unicast.start, end: doc.start - 1n }, { start: doc.end + 1n, end: unicast.end }];
})();

const NON_PUBLIC_IPV4_RANGES = ranges(NON_PUBLIC_IPV4);

/** True when some address of `r` lies outside every one of `covered` (sorted by start). */
function hasGap(r: Range, covered: readonly Range[]): boolean {
    let next = r.start;
    for (const c of covered) {
        if (c.end < next) continue;
        if (c.start > next) return true;
        next = c.end + 1n;
        if (next > r.end) return false;
    }
    return next <= r.end;
}

/**
 * True when the block holds at least one public address; undefined when `cidr` is not a CIDR block
 * (a caller that must fail closed treats that as public).
 */
export function overlapsPublic(cidr: string): boolean | undefined {
    const block = parseCidr(cidr);
    if (!block) return undefined;
    const { range } = block;
    if (block.version === 4) return hasGap(range, NON_PUBLIC_IPV4_RANGES);
    return PUBLIC_IPV6.some((p) => p.start <= range.end && range.start <= p.end);
}
