/** Real archives for the tests, written by Python's zipfile and tarfile (standard library). */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { python } from "../support/python";

/** What each snippet wrote: the tests ask for the same few archives many times. */
const written = new Map<string, Buffer>();

/**
 * Runs a Python snippet that writes an archive to `out` (a path it is given) and returns a copy of
 * the bytes; a snippet already run in this process is not run again (the tests that drop one package
 * twice tell the copies apart by version id, never by content).
 */
function writtenByPython(snippet: string): Buffer {
    if (!written.has(snippet)) written.set(snippet, runSnippet(snippet));
    return Buffer.from(written.get(snippet)!);
}

function runSnippet(snippet: string): Buffer {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "archive-"));
    const out = path.join(dir, "archive");
    try {
        execFileSync(...python("-c", snippet, out), { env: { PATH: process.env.PATH ?? "/usr/bin:/bin" }, stdio: "pipe" });
        return fs.readFileSync(out);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

/** A zip of these members (name → text); `zip64` forces the Zip64 end records; `comment` sets the archive comment. */
export function zipOf(members: Record<string, string>, options: { zip64?: boolean; comment?: string } = {}): Buffer {
    return writtenByPython(`
import sys, zipfile, json
members = json.loads(${JSON.stringify(JSON.stringify(members))})
if ${options.zip64 ? "True" : "False"}:
    zipfile.ZIP_FILECOUNT_LIMIT = 1
with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:
    for name, text in members.items():
        z.writestr(name, text)
    z.comment = ${JSON.stringify(options.comment ?? "")}.encode("latin-1")
`);
}

/** A gzip-compressed tar of these members, in `format` (gnu, pax or ustar). */
export function tarGzOf(members: Record<string, string>, format: "gnu" | "pax" | "ustar" = "pax"): Buffer {
    return writtenByPython(`
import sys, tarfile, json, io
members = json.loads(${JSON.stringify(JSON.stringify(members))})
fmt = {"gnu": tarfile.GNU_FORMAT, "pax": tarfile.PAX_FORMAT, "ustar": tarfile.USTAR_FORMAT}["${format}"]
with tarfile.open(sys.argv[1], "w:gz", format=fmt) as t:
    for name, text in members.items():
        data = text.encode("utf-8")
        info = tarfile.TarInfo(name)
        info.size = len(data)
        info.mtime = 0
        t.addfile(info, io.BytesIO(data))
`);
}

/** The members of a small BagIt bag under `root` ("" for the archive root). */
export function bagMembers(root: string): Record<string, string> {
    const at = (p: string) => (root ? `${root}/${p}` : p);
    return {
        [at("bagit.txt")]: "BagIt-Version: 0.97\nTag-File-Character-Encoding: UTF-8\n",
        [at("bag-info.txt")]: "Bagging-Date: 2026-01-01\n",
        [at("manifest-sha256.txt")]: "0000  data/letter.txt\n",
        [at("data/letter.txt")]: "Dear archivist,\n",
    };
}
