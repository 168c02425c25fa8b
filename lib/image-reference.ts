/**
 * Container image references, read with the grammar of distribution/reference (reference.go, "Grammar";
 * regexp.go): `[domain[:port]/]path[:tag][@digest]`, where the first component is a registry domain only
 * when it has a `.` or a `:port` or is `localhost` (otherwise it is a Docker Hub namespace), path
 * components are lower-case alphanumerics joined by `.`, `_`, `__` or dashes, a tag is
 * `[\w][\w.-]{0,127}`, a digest `<algorithm>:<hex>`, and the path at most 255 characters. Two limits of
 * ours: a port is a TCP port (1-65535; the grammar takes any digits), and ECS takes at most 255
 * characters for a container's `image`.
 */

/** A parsed image reference. */
export interface ImageReference {
    /** Registry host and port, when the reference names one. */
    domain?: string;
    path: string;
    tag?: string;
    digest?: string;
}

const DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
const DOMAIN = new RegExp(`^(?:${DOMAIN_COMPONENT}(?:\\.${DOMAIN_COMPONENT})*|\\[[a-fA-F0-9:]+\\])(?::([0-9]+))?$`);
const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}$/;

/** ECS's limit on a container definition's `image`. */
export const MAX_IMAGE_LENGTH = 255;

/** The reference's parts, or the one-line reason it is not a reference. */
export function parseImageReference(text: string): ImageReference | { problem: string } {
    if (text.length > MAX_IMAGE_LENGTH) return { problem: `is ${text.length} characters long` };
    let rest = text;
    let digest: string | undefined;
    const at = rest.indexOf("@");
    if (at >= 0) {
        digest = rest.slice(at + 1);
        rest = rest.slice(0, at);
        if (!DIGEST.test(digest)) return { problem: `has "@${digest}", which is not a digest (<algorithm>:<hex>)` };
    }
    const slash = rest.indexOf("/");
    const first = slash < 0 ? "" : rest.slice(0, slash);
    let domain: string | undefined;
    if (slash >= 0 && (first.includes(".") || first.includes(":") || first === "localhost")) {
        domain = first;
        rest = rest.slice(slash + 1);
        const m = DOMAIN.exec(domain);
        if (!m) return { problem: `names the registry "${domain}", which is not a host name with an optional :port` };
        if (m[1] !== undefined && (Number(m[1]) < 1 || Number(m[1]) > 65535))
            return { problem: `names the registry port ${m[1]}, outside 1-65535` };
    }
    let tag: string | undefined;
    if (rest.indexOf(":") !== rest.lastIndexOf(":")) return { problem: 'has more than one ":" after the registry; a tag follows one ":"' };
    const colon = rest.lastIndexOf(":");
    if (colon >= 0) {
        tag = rest.slice(colon + 1);
        rest = rest.slice(0, colon);
        if (!TAG.test(tag))
            return { problem: `has the tag "${tag}", which is not 1-128 letters, digits, _, . or - (not starting with . or -)` };
    }
    if (rest === "") return { problem: "has no repository name" };
    for (const component of rest.split("/"))
        if (!PATH_COMPONENT.test(component))
            return {
                problem: `has the path component "${component}", which is not lower-case letters and digits joined by ., _, __ or -`,
            };
    if (rest.length > 255) return { problem: `has a repository path of ${rest.length} characters, more than 255` };
    return { domain, path: rest, tag, digest };
}

/** What is wrong with a registry prefix (`host[:port][/path]`, no tag), or undefined. */
export function registryPrefixProblem(prefix: string): string | undefined {
    const parsed = parseImageReference(`${prefix}/x`);
    if ("problem" in parsed) return parsed.problem;
    if (!parsed.domain) return "names no registry host (a host has a dot or a port, or is localhost)";
    if (parsed.tag !== undefined || parsed.digest !== undefined) return "has a tag or digest; a registry prefix has neither";
    return undefined;
}
