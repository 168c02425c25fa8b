/**
 * E-mail addresses that Amazon SNS (e-mail subscriptions) and SES will deliver to: SES "does not support
 * the SMTPUTF8 extension (RFC 6531), so the email address string must be 7-bit ASCII", a domain with
 * non-ASCII characters written in Punycode (SES API reference, Destination; SNS e-mail is sent the same
 * way). Within that, the address is RFC 5322's `dot-atom "@" domain` (section 3.4.1; no quoted local
 * parts, no comments, no IP literals), with RFC 5321's sizes (section 4.5.3.1: local part 64 octets,
 * domain 255, path 256 with its angle brackets) and a domain of DNS labels under a top-level domain that
 * is not all digits.
 */

const ATEXT = "[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]";
const LOCAL = new RegExp(`^${ATEXT}+(?:\\.${ATEXT}+)*$`);
const LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** What is wrong with an e-mail address, or undefined. */
export function emailAddressProblem(address: string): string | undefined {
    if (/[^\x20-\x7e]/.test(address)) return "has characters outside 7-bit ASCII (write the domain in Punycode; SES/SNS take no other)";
    const at = address.lastIndexOf("@");
    if (at <= 0 || at === address.length - 1) return "is not <local part>@<domain>";
    const local = address.slice(0, at);
    const domain = address.slice(at + 1);
    if (address.length > 254) return `is ${address.length} characters long, more than 254`;
    if (local.length > 64) return `has a local part of ${local.length} characters, more than 64`;
    if (!LOCAL.test(local))
        return `has the local part "${local}", which is not letters, digits and !#$%&'*+/=?^_\`{|}~- in dot-separated words`;
    const labels = domain.split(".");
    if (labels.length < 2 || !labels.every((l) => LABEL.test(l))) return `has the domain "${domain}", which is not a DNS name with a dot`;
    if (/^\d+$/.test(labels[labels.length - 1])) return `has the domain "${domain}", whose top-level domain is all digits`;
    return undefined;
}
