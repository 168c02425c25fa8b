/**
 * The Archivematica catalogue: what each component runs, as data, one file per component, listed in
 * registry.ts. Each entry holds its images and sizes; facts several entries share per release live in versions.ts; the bootstrap's init
 * steps in bootstrap.ts (the Python they run in bootstrap/ at the repository root).
 *
 * Source of truth: upstream's compose file (https://github.com/artefactual-labs/am,
 * compose/docker-compose.yml) and the settings modules of artefactual/archivematica
 * (appconfig/EnvConfigParser: `<PREFIX>_<SECTION>_<OPTION>` or `<PREFIX>_<OPTION>`) and
 * artefactual/archivematica-storage-service (plain `environ.get`).
 *
 * Nothing here creates resources: services.ts resolves each entry for the stack and hands it to
 * ArchivematicaService.
 */
export {
    BOOTSTRAP_WAITS,
    CONFIGURE_STORAGE_SCRIPT,
    CREATE_DATABASES_SCRIPT,
    packedScript,
    ROTATE_CREDENTIALS_SCRIPT,
    WAIT_FOR_MCP_DATABASE_SCRIPT,
} from "./bootstrap";
export { CLAMAV_LIMITS_MIB } from "./clamavd";
export { CATALOGUE, COMPONENTS, creationOrder, resolveComponent, resolveEntry } from "./registry";
export type { ComponentName } from "./registry";
export { discoveryHost, scratchStorageGiB, SHARED_DIRECTORY, STORAGE_SERVICE_QUICK_TIMEOUT_SECONDS } from "./shared";
export type { Callee, CatalogueContext, CatalogueEntry, ComponentContext, ComponentService, SecretName } from "./types";
export { CONCURRENCY, VERSIONS } from "./versions";
export type { VersionFacts } from "./versions";
