/**
 * The catalogue registry (meta): every file under components/app/catalogue/ that exports an entry is
 * registered once, under its own name, and every entry resolves, for every version and size profile,
 * to a service ArchivematicaService accepts: the fields present, valid Fargate sizes, a non-root
 * user, distinct container names, known callees that listen on a port, known secrets.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { CATALOGUE, COMPONENTS, creationOrder, resolveComponent, resolveEntry } from "../../components/app/catalogue";
import { componentOfImageKey } from "../../config/key-builders";
import { IMAGE_OVERRIDE_KEYS } from "../../config/schema";
import { DEFAULTS as ONE_PER_COMPONENT } from "../../policy/rules/aws-ecs-service-require-one-per-component";
import type { CatalogueEntry, ComponentName, SecretName } from "../../components/app/catalogue";
import { isValidFargateSize } from "../../lib/fargate";
import { ctx } from "./context";

const DIR = path.join(__dirname, "..", "..", "components", "app", "catalogue");
/** The catalogue's own modules: everything else in the directory is one component. */
const INFRASTRUCTURE = ["bootstrap.ts", "index.ts", "metrics.ts", "registry.ts", "shared.ts", "sign-in.ts", "types.ts", "versions.ts"];
const entryFiles = fs
    .readdirSync(DIR)
    .filter((f) => f.endsWith(".ts") && !INFRASTRUCTURE.includes(f))
    .sort();

const SECRETS: readonly SecretName[] = [
    "dbAppPassword",
    "ssDbUrl",
    "dbMasterUsername",
    "dbMasterPassword",
    "pipelineDjangoSecretKey",
    "storageServiceDjangoSecretKey",
    "adminPassword",
    "dashboardApiKey",
    "storageServiceApiKey",
    "searchUrl",
];
const VOLUMES = ["sharedDirectory", "storageServiceStaging", "transferSource"];

describe("catalogue registry (meta)", () => {
    it("registers every component file exactly once, under the file's name, and nothing else", () => {
        assert.deepStrictEqual([...COMPONENTS].sort(), entryFiles.map((f) => f.replace(/\.ts$/, "")).sort());
        for (const file of entryFiles) {
            // eslint-disable-next-line @typescript-eslint/no-require-imports -- loads each entry file by path
            const mod = require(path.join(DIR, file)) as Record<string, CatalogueEntry>;
            const exported = Object.values(mod).filter((v) => typeof v === "object" && v !== null && "resolve" in v);
            assert.strictEqual(exported.length, 1, `${file} exports one entry`);
            const entry = exported[0];
            assert.strictEqual(`${entry.name}.ts`, file, "file is named after its entry");
            assert.strictEqual(CATALOGUE[entry.name as ComponentName], entry, `${file} registered under its name`);
        }
    });

    it("deploy order is the registry's, the dashboard first; services are created after what they start after", () => {
        assert.strictEqual(COMPONENTS[0], "dashboard");
        const order = creationOrder();
        assert.deepStrictEqual([...order].sort(), [...COMPONENTS].sort());
        for (const c of COMPONENTS)
            for (const before of CATALOGUE[c].startsAfter ?? []) {
                assert.ok(COMPONENTS.includes(before as ComponentName), `${c} starts after unknown ${before}`);
                assert.ok(order.indexOf(before) < order.indexOf(c), `${c} is created after ${before}`);
            }
        assert.deepStrictEqual(
            order.filter((c) => !CATALOGUE[c as ComponentName].startsAfter),
            COMPONENTS.filter((c) => !CATALOGUE[c].startsAfter),
            "the registry's order among those that wait for nobody",
        );
    });

    it("what is generated from the registry: the policy pack's components; image override keys name components", () => {
        assert.deepStrictEqual(ONE_PER_COMPONENT.components, [...COMPONENTS]);
        for (const key of IMAGE_OVERRIDE_KEYS)
            assert.ok(COMPONENTS.includes(componentOfImageKey(key) as ComponentName), `${key} names ${componentOfImageKey(key)}`);
        assert.deepStrictEqual(IMAGE_OVERRIDE_KEYS, ["dashboardImage", "storageServiceImage", "mcpServerImage", "mcpClientImage"]);
        for (const c of COMPONENTS)
            for (const caller of Object.keys(CATALOGUE[c].calledBy ?? {}))
                assert.ok(COMPONENTS.includes(caller as ComponentName), `${c} is called by unknown ${caller}`);
    });

    it("a new leaf that the MCP client calls touches only its own entry: calledBy gives the caller the path and the variables", () => {
        const fits: CatalogueEntry = {
            name: "fits",
            description: "A FITS server the MCP clients characterise files with.",
            images: { "1.18": "example/fits:1.6.0", "1.17": "example/fits:1.6.0" },
            sizes: { small: { cpu: 512, memory: 1024 }, large: { cpu: 1024, memory: 2048 } },
            calledBy: { "mcp-client": (c) => ({ ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_FITS_SERVER: `fits.${c.namespace}:2113` }) },
            resolve: (c) => ({
                container: { image: c.image, user: "1000:1000", port: 2113 },
                cpu: 512,
                memory: 1024,
                calls: [],
                shell: "/bin/sh",
            }),
        };
        const entries = [...Object.values(CATALOGUE), fits];
        const client = resolveEntry(CATALOGUE["mcp-client"], entries, ctx());
        const plain = resolveComponent("mcp-client", ctx());
        assert.deepStrictEqual(client.calls, [...plain.calls, "fits"]);
        assert.deepStrictEqual(client.container.environment, {
            ...plain.container.environment,
            ARCHIVEMATICA_MCPCLIENT_MCPCLIENT_FITS_SERVER: "fits.staging.archivematica.internal:2113",
        });
        assert.deepStrictEqual(resolveEntry(CATALOGUE.dashboard, entries, ctx()), resolveComponent("dashboard", ctx()));
    });

    it("names are unique DNS labels and every entry says what it is", () => {
        assert.strictEqual(new Set(COMPONENTS).size, COMPONENTS.length);
        for (const c of COMPONENTS) {
            assert.match(CATALOGUE[c].name, /^[a-z][a-z0-9-]{0,62}$/, c);
            assert.ok(CATALOGUE[c].description.length >= 30 && CATALOGUE[c].description.endsWith("."), `${c}: description`);
        }
    });

    it("every component has its images and sizes in its entry", () => {
        for (const c of COMPONENTS) {
            assert.deepStrictEqual(Object.keys(CATALOGUE[c].images).sort(), ["1.17", "1.18"], c);
            for (const [version, image] of Object.entries(CATALOGUE[c].images))
                assert.match(image, /^[a-z0-9./-]+:[A-Za-z0-9._-]+$/, `${version} ${c}`);
            assert.deepStrictEqual(Object.keys(CATALOGUE[c].sizes).sort(), ["large", "small"], c);
        }
    });

    for (const version of ["1.18", "1.17"] as const) {
        for (const sizeProfile of ["small", "large"] as const) {
            it(`${version} ${sizeProfile}: every entry resolves to a complete, valid service`, () => {
                for (const c of COMPONENTS) {
                    const s = resolveComponent(c, ctx({ version, sizeProfile }));
                    const where = `${version} ${sizeProfile} ${c}`;
                    assert.strictEqual(s.container.image, CATALOGUE[c].images[version], where);
                    assert.ok(s.container.user && !/^(root|0)(:|$)/.test(s.container.user), `${where}: user ${s.container.user}`);
                    assert.ok(isValidFargateSize(s.cpu, s.memory), `${where}: ${s.cpu}/${s.memory}`);
                    assert.deepStrictEqual({ cpu: s.cpu, memory: s.memory }, CATALOGUE[c].sizes[sizeProfile], where);
                    assert.ok(["singleton", "rolling"].includes(s.deployment ?? ""), `${where}: deployment`);
                    const stop = s.container.stopTimeout ?? 30;
                    assert.ok(stop >= 2 && stop <= 120, `${where}: stopTimeout ${stop}`);
                    assert.ok(["/bin/bash", "/bin/sh"].includes(s.shell), `${where}: shell`);
                    const names = [c, ...(s.initContainers ?? []).map((i) => i.name)];
                    assert.strictEqual(new Set(names).size, names.length, `${where}: container names`);
                    for (const init of s.initContainers ?? []) {
                        assert.strictEqual(init.image, s.container.image, `${where}/${init.name}: the app's image`);
                        assert.strictEqual(init.user, s.container.user, `${where}/${init.name}: the app's user`);
                    }
                    for (const secret of [s.container, ...(s.initContainers ?? [])].flatMap((x) => Object.values(x.secrets ?? {})))
                        assert.ok(SECRETS.includes(secret), `${where}: unknown secret ${secret}`);
                    for (const m of s.container.mounts ?? []) assert.ok(VOLUMES.includes(m.volume), `${where}: volume ${m.volume}`);
                    if (s.loadBalancer) assert.ok(s.container.port !== undefined, `${where}: load-balanced without a port`);
                    if (s.deployment === "singleton")
                        assert.ok(!s.autoscaling && (s.desiredCount ?? 1) === 1 && s.capacityProvider === "FARGATE", `${where}: singleton`);
                    for (const callee of s.calls) {
                        if (["database", "search", "queue"].includes(callee)) continue;
                        assert.ok(COMPONENTS.includes(callee as ComponentName), `${where}: calls unknown ${callee}`);
                        assert.ok(resolveComponent(callee as ComponentName, ctx()).container.port, `${where}: ${callee} has no port`);
                    }
                }
            });
        }
    }
});
