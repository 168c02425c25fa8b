/**
 * policy/lib/cidr.ts: which CIDR blocks reach public address space.
 */
import * as assert from "assert";
import { NON_PUBLIC_IPV4, overlapsPublic, parseCidr } from "../../policy/lib/cidr";

describe("policy/lib/cidr", () => {
    it("judges blocks by whether they hold one public address", () => {
        const cases: [string, boolean | undefined][] = [
            ["0.0.0.0/0", true],
            ["0.0.0.0/1", true],
            ["128.0.0.0/1", true],
            ["0.0.0.0/8", false],
            ["0.0.0.0/7", true],
            ["10.0.0.0/8", false],
            ["10.0.0.0/7", true],
            ["172.16.0.0/12", false],
            ["172.16.0.0/11", true],
            ["192.168.0.0/16", false],
            ["100.64.0.0/10", false],
            ["169.254.169.254/32", false],
            ["198.18.0.0/15", false],
            ["203.0.113.7/32", false],
            ["224.0.0.0/3", false],
            ["8.8.8.8/32", true],
            ["10.0.0.1/8", false],
            ["::/0", true],
            ["2000::/3", true],
            ["2001:db8::/32", false],
            ["2001:db8::/31", true],
            ["fd00::/8", false],
            ["fe80::/10", false],
            ["::1/128", false],
            ["64:ff9b::1.2.3.4/128", true],
            ["2a05:d018:0:1::/64", true],
            ["not-a-cidr", undefined],
            ["10.0.0.0", undefined],
            ["10.0.0.0/33", undefined],
            ["256.0.0.0/8", undefined],
            ["01.0.0.0/8", undefined],
            ["::1::/128", undefined],
            ["1:2:3:4:5:6:7:8:9/128", undefined],
        ];
        for (const [cidr, expected] of cases) assert.strictEqual(overlapsPublic(cidr), expected, cidr);
    });

    it("parses address ranges, host bits dropped", () => {
        assert.deepStrictEqual(parseCidr("10.1.2.3/8"), { version: 4, range: { start: 0x0a000000n, end: 0x0affffffn } });
        assert.deepStrictEqual(parseCidr("::ffff:10.0.0.0/120"), {
            version: 6,
            range: { start: 0xffff0a000000n, end: 0xffff0a0000ffn },
        });
    });

    it("lists only valid, non-public blocks", () => {
        for (const cidr of NON_PUBLIC_IPV4) assert.strictEqual(overlapsPublic(cidr), false, cidr);
    });
});
