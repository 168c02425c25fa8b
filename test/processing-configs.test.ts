/**
 * processing-configs/: every file checked before anything is planned, one line per bad file naming it;
 * the accepted names are the built-ins plus the files; a bad file stops the offline plan as bad input.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ConfigError } from "../config";
import { MAX_PROCESSING_CONFIG_BYTES, processingConfigProblem, readProcessingConfigs } from "../config/processing-configs";
import { planStack } from "../tools/plan";

const ROOT = path.join(__dirname, "..");
const LINK_A = "856d2d65-cd25-49fa-8da9-cabb78292894";
const LINK_B = "bd899573-694e-4d33-8c9b-df0af802437d";
const CHAIN = "97be337c-ff27-4869-bf25-fbc0ea1f2d0b";

/** A configuration with these choices (appliesTo, goToChain). */
function config(choices: [string, string][], rootTag = "processingMCP"): string {
    const body = choices
        .map(
            ([link, chain]) =>
                `    <preconfiguredChoice>\n      <appliesTo>${link}</appliesTo>\n      <goToChain>${chain}</goToChain>\n    </preconfiguredChoice>`,
        )
        .join("\n");
    return `<${rootTag}>\n  <preconfiguredChoices>\n    <!-- Virus scanning: Yes -->\n${body}\n  </preconfiguredChoices>\n</${rootTag}>\n`;
}
const VALID = config([
    [LINK_A, CHAIN],
    [LINK_B, "/api/v2/location/default/AS/"],
]);
const SUFFIX =
    "; valid: an Archivematica processing configuration, <processingMCP><preconfiguredChoices><preconfiguredChoice><appliesTo>UUID</appliesTo><goToChain>value</goToChain>…";

describe("processing configurations as code", () => {
    let root: string;
    beforeEach(() => {
        root = fs.mkdtempSync(path.join(os.tmpdir(), "pc-"));
        fs.mkdirSync(path.join(root, "processing-configs"));
    });
    afterEach(() => fs.rmSync(root, { recursive: true, force: true }));
    const put = (name: string, text: string) => fs.writeFileSync(path.join(root, "processing-configs", name), text);

    it("the repository's folder holds only its README today: the built-ins are the names", () => {
        const { configs, problems } = readProcessingConfigs(ROOT);
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(configs, { files: [], names: ["automated", "default"] });
    });

    it("reads each valid file, with its hash; names are the built-ins and the files, sorted", () => {
        put("ocr_only.xml", VALID);
        put("default.xml", VALID);
        put("README.md", "# notes");
        const { configs, problems } = readProcessingConfigs(root);
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(
            configs.files.map((f) => [f.name, f.file, f.xml === VALID, f.sha256.length]),
            [
                ["default", "processing-configs/default.xml", true, 64],
                ["ocr_only", "processing-configs/ocr_only.xml", true, 64],
            ],
        );
        assert.deepStrictEqual(configs.names, ["automated", "default", "ocr_only"]);
    });

    it("no folder at all is fine", () => {
        fs.rmSync(path.join(root, "processing-configs"), { recursive: true });
        assert.deepStrictEqual(readProcessingConfigs(root), { configs: { files: [], names: ["automated", "default"] }, problems: [] });
    });

    const badFiles: [string, string, string][] = [
        [
            "Fast Track.xml",
            VALID,
            'processing-configs/Fast Track.xml: "Fast Track" cannot name a processing configuration; valid: 1-16 letters (A-Z, a-z), digits or _, not feedback or transfers',
        ],
        [
            "seventeen_chars_x.xml",
            VALID,
            'processing-configs/seventeen_chars_x.xml: "seventeen_chars_x" cannot name a processing configuration; valid: 1-16 letters (A-Z, a-z), digits or _, not feedback or transfers',
        ],
        [
            "feedback.xml",
            VALID,
            'processing-configs/feedback.xml: "feedback" cannot name a processing configuration; valid: 1-16 letters (A-Z, a-z), digits or _, not feedback or transfers',
        ],
        ["notes.txt", "x", "processing-configs/notes.txt: is not a processing configuration; valid: <name>.xml files (and README.md)"],
        [
            "broken.xml",
            "<processingMCP>\n  <preconfiguredChoices>\n</processingMCP>\n",
            `processing-configs/broken.xml: is not well-formed XML (line 3, column 1: Expected closing tag 'preconfiguredChoices' (opened in line 2, col 3) instead of closing tag 'processingMCP'.)${SUFFIX}`,
        ],
        [
            "wrong_root.xml",
            config([[LINK_A, CHAIN]], "processingConfig"),
            `processing-configs/wrong_root.xml: its root element is <processingConfig>, not <processingMCP>${SUFFIX}`,
        ],
        [
            "two_roots.xml",
            `${VALID}<extra/>`,
            `processing-configs/two_roots.xml: its root element is <processingMCP>, <extra>, not <processingMCP>${SUFFIX}`,
        ],
        [
            "no_section.xml",
            "<processingMCP/>",
            `processing-configs/no_section.xml: <processingMCP> must hold exactly one <preconfiguredChoices>${SUFFIX}`,
        ],
        [
            "no_chain.xml",
            `<processingMCP><preconfiguredChoices><preconfiguredChoice><appliesTo>${LINK_A}</appliesTo></preconfiguredChoice></preconfiguredChoices></processingMCP>`,
            `processing-configs/no_chain.xml: choice 1 must hold exactly one <appliesTo> and one <goToChain>${SUFFIX}`,
        ],
        [
            "bad_link.xml",
            config([["Virus scanning", CHAIN]]),
            `processing-configs/bad_link.xml: choice 1: <appliesTo> "Virus scanning" is not a workflow link UUID${SUFFIX}`,
        ],
        [
            "twice.xml",
            config([
                [LINK_A, CHAIN],
                [LINK_A, CHAIN],
            ]),
            `processing-configs/twice.xml: choice 2: <appliesTo> ${LINK_A} is decided twice${SUFFIX}`,
        ],
        ["empty_chain.xml", config([[LINK_A, " "]]), `processing-configs/empty_chain.xml: choice 1: <goToChain> is empty${SUFFIX}`],
        [
            "dtd.xml",
            `<!DOCTYPE processingMCP [<!ENTITY x "y">]>${VALID}`,
            `processing-configs/dtd.xml: has a DOCTYPE (no DTDs or custom entities)${SUFFIX}`,
        ],
        [
            "entity.xml",
            config([[LINK_A, "&chain;"]]),
            `processing-configs/entity.xml: uses an entity XML does not define (only &amp; &lt; &gt; &quot; &apos; and character references)${SUFFIX}`,
        ],
        [
            "huge.xml",
            `${VALID}<!--${"x".repeat(MAX_PROCESSING_CONFIG_BYTES)}-->`,
            `processing-configs/huge.xml: is larger than 64 KiB${SUFFIX}`,
        ],
    ];
    for (const [name, text, line] of badFiles) {
        it(`refuses ${name}: one line naming the file`, () => {
            put(name, text);
            put("good.xml", VALID);
            const { configs, problems } = readProcessingConfigs(root);
            assert.deepStrictEqual(problems, [line]);
            assert.deepStrictEqual(configs.names, ["automated", "default", "good"]);
        });
    }

    it("refuses a folder inside the folder", () => {
        fs.mkdirSync(path.join(root, "processing-configs", "drafts"));
        assert.deepStrictEqual(readProcessingConfigs(root).problems, [
            "processing-configs/drafts: is not a file; valid: <name>.xml files (and README.md)",
        ]);
    });

    it("accepts the five predefined entities and character references", () => {
        assert.strictEqual(processingConfigProblem(config([[LINK_A, "a&amp;b&#65;&#x42;"]])), undefined);
    });

    it("a bad file stops the offline plan before anything is planned: ConfigError (exit 2) with its one line", async () => {
        for (const file of ["Pulumi.yaml", "Pulumi.staging.yaml"]) fs.copyFileSync(path.join(ROOT, file), path.join(root, file));
        fs.mkdirSync(path.join(root, "policy", "config"), { recursive: true });
        fs.copyFileSync(path.join(ROOT, "policy", "config", "staging.json"), path.join(root, "policy", "config", "staging.json"));
        put("broken.xml", "<processingMCP>");
        await assert.rejects(planStack("staging", root), (err: unknown) => {
            assert.ok(err instanceof ConfigError);
            assert.deepStrictEqual(err.lines, [
                `processing-configs/broken.xml: is not well-formed XML (line 1, column 1: Unclosed tag 'processingMCP'.)${SUFFIX}`,
            ]);
            return true;
        });
    });
});
