/**
 * How many bytes Archivematica reads from and writes to EFS for each byte it ingests: the shared
 * directory's amplification, which EFS Elastic throughput bills per GB (reads and writes separately).
 *
 * Each step is one pass over the data on the shared file system, with the upstream code that makes
 * it (artefactual/archivematica branch 1.17, the last branch with the 1.18 workflow's structure in
 * the stored snapshot; artefactual/archivematica-storage-service as of 2024-10). Moves within the
 * shared directory (`shutil.move` in create_sip_from_transfer_objects.py, the watched-directory hops)
 * are renames on one mount and move no data, so they are not steps. Passes over the transfer are
 * per GB ingested (`1`); passes over the AIP are per GB of AIP (`aipSizeRatio`, "A"); DIP passes per
 * GB of DIP (`A × dipShare`). Normalization also writes the preservation copies and metadata by which
 * the AIP outgrows the transfer: `A − 1` per GB ingested when A > 1 (normalize.py, transcoder.py).
 *
 * What the table leaves out (so the figure is a floor for data, not for requests): metadata
 * operations (each metered at 4 KiB at least; many small files raise them), tools that read only
 * file headers, and retries of failed jobs.
 */

/** What a step passes over: the transfer as ingested, the AIP, or the DIP. */
export type Basis = "transfer" | "aip" | "dip";

export interface SharedDirectoryStep {
    /** What happens, in a few words. */
    step: string;
    /** Full reads of the data from EFS. */
    reads: number;
    /** Full writes of the data to EFS. */
    writes: number;
    basis: Basis;
    /** The upstream code that does it. */
    source: string;
}

/** The passes one ingest makes over the shared file system, in order. */
export const SHARED_DIRECTORY_STEPS: readonly SharedDirectoryStep[] = [
    {
        step: "Storage Service downloads the transfer from the S3 transfer source into its staging directory (on EFS)",
        reads: 0,
        writes: 1,
        basis: "transfer",
        source: "archivematica-storage-service storage_service/locations/models/s3.py S3.move_to_storage_service (download_file into the staging path)",
    },
    {
        step: "Storage Service copies it from staging into the pipeline's currently-processing directory",
        reads: 1,
        writes: 1,
        basis: "transfer",
        source: "archivematica-storage-service storage_service/locations/models/space.py Space.move_rsync (rsync between two mounts of the file system)",
    },
    {
        step: "a zipped transfer is extracted beside itself",
        reads: 1,
        writes: 1,
        basis: "transfer",
        source: "archivematica src/MCPClient/lib/clientScripts/extract_contents.py, extract_zipped_transfer.py",
    },
    {
        step: "virus scan (clamd reads each file through the stream)",
        reads: 1,
        writes: 0,
        basis: "transfer",
        source: "archivematica src/MCPClient/lib/clientScripts/archivematica_clamscan.py",
    },
    {
        step: "checksums, then characterization and metadata extraction (two full reads; identification reads headers only)",
        reads: 2,
        writes: 0,
        basis: "transfer",
        source: "archivematica workflow.json: assign checksums, characterize and extract metadata (MCPClient clientScripts)",
    },
    {
        step: "normalization for preservation reads the originals",
        reads: 1,
        writes: 0,
        basis: "transfer",
        source: "archivematica src/MCPClient/lib/clientScripts/normalize.py, transcoder.py",
    },
    {
        step: "the AIP bag is made by copying the SIP into it, then bagit reads every file for its manifest",
        reads: 2,
        writes: 1,
        basis: "aip",
        source: "archivematica src/MCPClient/lib/clientScripts/bag_with_empty_directories.py (shutil.copy/copytree, then bagit make_bag)",
    },
    {
        step: "the bag is compressed (7z reads the bag and writes the archive)",
        reads: 1,
        writes: 1,
        basis: "aip",
        source: "archivematica src/MCPClient/lib/clientScripts/compress_aip.py (7z a … or tar | pbzip2)",
    },
    {
        step: "Storage Service copies the AIP into its staging directory, then reads it again to upload it to S3",
        reads: 2,
        writes: 1,
        basis: "aip",
        source: "archivematica-storage-service space.py Space.move_rsync, then s3.py S3.move_from_storage_service (upload_fileobj)",
    },
    {
        step: "access copies are written for the DIP, then read to upload the DIP",
        reads: 1,
        writes: 1,
        basis: "dip",
        source: "archivematica normalize.py (access), then the Storage Service's DIP upload as for the AIP",
    },
];

/** GB read from and written to EFS per GB ingested, and the formula with the numbers in it. */
export interface Amplification {
    readsPerGb: number;
    writesPerGb: number;
    formula: string;
}

/**
 * Per GB ingested, with `A` = aipSizeRatio and `D` = dipShare:
 * reads = Σ transfer reads + A × Σ AIP reads + A·D × Σ DIP reads,
 * writes = Σ transfer writes + max(0, A − 1) + A × Σ AIP writes + A·D × Σ DIP writes.
 */
export function amplification(aipSizeRatio: number, dipShare: number): Amplification {
    const sum = (basis: Basis, field: "reads" | "writes") =>
        SHARED_DIRECTORY_STEPS.filter((s) => s.basis === basis).reduce((n, s) => n + s[field], 0);
    const a = aipSizeRatio;
    const d = a * dipShare;
    const preservation = Math.max(0, a - 1);
    const readsPerGb = sum("transfer", "reads") + a * sum("aip", "reads") + d * sum("dip", "reads");
    const writesPerGb = sum("transfer", "writes") + preservation + a * sum("aip", "writes") + d * sum("dip", "writes");
    const r = round(readsPerGb);
    const w = round(writesPerGb);
    return {
        readsPerGb,
        writesPerGb,
        formula:
            `reads ${sum("transfer", "reads")} + ${sum("aip", "reads")} × A + ${sum("dip", "reads")} × A·D = ${r}, ` +
            `writes ${sum("transfer", "writes")} + (A − 1) + ${sum("aip", "writes")} × A + ${sum("dip", "writes")} × A·D = ${w} per GB ingested ` +
            `(A = aipSizeRatio ${a}, D = dipShare ${dipShare}; steps in tools/cost/shared-directory.ts)`,
    };
}

function round(x: number): number {
    return Math.round(x * 1000) / 1000;
}
