/** The processing-configuration installer against a real directory standing in for the EFS mount. */
import * as assert from "assert";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { CONFIGS_SUBDIR, install, type ShippedConfig } from "../../functions/processing-configs/install";

const shipped = (name: string, xml: string): ShippedConfig => ({ name, xml, sha256: createHash("sha256").update(xml).digest("hex") });

describe("ingest: processing-configuration installer", () => {
    let mount: string;
    beforeEach(() => (mount = fs.mkdtempSync(path.join(os.tmpdir(), "shared-"))));
    afterEach(() => fs.rmSync(mount, { recursive: true, force: true }));
    const dir = () => path.join(mount, CONFIGS_SUBDIR);

    it("writes each as <name>ProcessingMCP.xml, and makes the directory (0770) when MCPServer has not yet", () => {
        const result = install(mount, [shipped("ocr_only", "<a/>"), shipped("automated", "<b/>")]);
        assert.deepStrictEqual(result, { written: ["automated", "ocr_only"], unchanged: [] });
        assert.deepStrictEqual(fs.readdirSync(dir()).sort(), ["automatedProcessingMCP.xml", "ocr_onlyProcessingMCP.xml"]);
        assert.strictEqual(fs.readFileSync(path.join(dir(), "ocr_onlyProcessingMCP.xml"), "utf8"), "<a/>");
        assert.strictEqual(fs.statSync(dir()).mode & 0o777 & ~process.umask(), 0o770 & ~process.umask());
    });

    it("a second run with the same files writes nothing; a changed file is replaced; a file made in the dashboard stays", () => {
        install(mount, [shipped("ocr_only", "<a/>")]);
        fs.writeFileSync(path.join(dir(), "mineProcessingMCP.xml"), "<mine/>");
        assert.deepStrictEqual(install(mount, [shipped("ocr_only", "<a/>")]), { written: [], unchanged: ["ocr_only"] });
        assert.deepStrictEqual(install(mount, [shipped("ocr_only", "<a2/>")]), { written: ["ocr_only"], unchanged: [] });
        assert.strictEqual(fs.readFileSync(path.join(dir(), "ocr_onlyProcessingMCP.xml"), "utf8"), "<a2/>");
        assert.strictEqual(fs.readFileSync(path.join(dir(), "mineProcessingMCP.xml"), "utf8"), "<mine/>");
        assert.deepStrictEqual(
            fs.readdirSync(dir()).filter((f) => f.endsWith(".tmp")),
            [],
        );
    });

    it("refuses a bad name or a hash that does not match, before writing anything", () => {
        assert.throws(() => install(mount, [shipped("ok", "<a/>"), { name: "../x", xml: "<b/>", sha256: "0" }]), {
            message: 'configs[1].name: "../x" is not a configuration name',
        });
        assert.throws(() => install(mount, [{ ...shipped("ok", "<a/>"), xml: "<tampered/>" }]), {
            message: "configs[0] (ok): the XML does not match its sha256",
        });
        assert.strictEqual(fs.existsSync(dir()), false);
    });
});
