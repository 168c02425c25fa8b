/**
 * `npm run refresh-prices -- <offer-file>… [--out <file>] [--date YYYY-MM-DD]`: rebuilds the
 * offer-file part of the price table (tools/cost/offer-prices.json, applied over the hand-checked
 * figures in tools/cost/prices.ts) from AWS Price List offer files, e.g.
 * `curl -o AmazonS3-eu-west-2.json https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonS3/current/eu-west-2/index.json`.
 * Each figure the table holds (tools/cost/offers.ts OFFER_MAP) is read from the file of its service
 * and region; figures the files do not hold keep their earlier value. It prints every change, every
 * figure the files did not hold, and every figure whose products disagree (never taken).
 *
 * Exit codes: 0 written; 2 bad input (no file, an unreadable file, not an offer file, a bad flag).
 * After a refresh, set PRICES_DATE in tools/cost/prices.ts when the hand-checked figures were
 * checked again too.
 */
import * as fs from "fs";
import * as path from "path";
import { OfferFileError, parseOfferFile, readOfferPrices } from "./offers";
import { OfferPricesFile, PRICES } from "./prices";

export const REFRESH_USAGE = "usage: npm run refresh-prices -- <offer-file>… [--out <file>] [--date YYYY-MM-DD]";

const DEFAULT_OUT = path.join(__dirname, "offer-prices.json");

/** A refresh that cannot start: one line, exit 2. */
export class RefreshInputError extends Error {}

export interface RefreshOptions {
    files: string[];
    out: string;
    date: string;
}

/** Parses the command line (`today` is the clock, injectable for tests). */
export function parseRefreshArgs(argv: string[], today: Date = new Date()): RefreshOptions {
    const files: string[] = [];
    let out = DEFAULT_OUT;
    let date = today.toISOString().slice(0, 10);
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--out" || arg === "--date") {
            const value = argv[++i];
            if (!value || value.startsWith("-")) throw new RefreshInputError(`${arg} needs a value; ${REFRESH_USAGE}`);
            if (arg === "--out") out = value;
            else if (!/^\d{4}-\d{2}-\d{2}$/.test(value))
                throw new RefreshInputError(`--date ${JSON.stringify(value)} is not a date; valid: YYYY-MM-DD`);
            else date = value;
        } else if (arg.startsWith("-"))
            throw new RefreshInputError(`unknown option ${arg}; valid: --out <file>, --date YYYY-MM-DD; ${REFRESH_USAGE}`);
        else files.push(arg);
    }
    if (!files.length) throw new RefreshInputError(`no offer file given; ${REFRESH_USAGE}`);
    return { files, out, date };
}

function readJson(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new RefreshInputError(`${file}: cannot be read`);
    }
    try {
        return JSON.parse(text);
    } catch (e) {
        throw new RefreshInputError(`${file}: not JSON (${(e as Error).message})`);
    }
}

function readExisting(out: string): OfferPricesFile {
    if (!fs.existsSync(out)) return { date: null, files: [], regions: {} };
    return readJson(out) as OfferPricesFile;
}

/** Reads the offer files and returns the new offer-prices document and the report lines. */
export function refresh(options: RefreshOptions): { document: OfferPricesFile; report: string[] } {
    const offers = options.files.map((f) => {
        try {
            return parseOfferFile(readJson(f), f);
        } catch (e) {
            if (e instanceof OfferFileError) throw new RefreshInputError(e.message);
            throw e;
        }
    });
    const result = readOfferPrices(offers);
    const document = readExisting(options.out);
    const report: string[] = [];
    for (const [region, figures] of Object.entries(result.prices)) {
        const regionFigures = (document.regions[region] ??= {});
        for (const [field, price] of Object.entries(figures)) {
            const before = regionFigures[field]?.value ?? lookup(region, field);
            report.push(
                `${region} ${field}: ${before === undefined ? "(none)" : `$${before}`} → $${price.value} (${price.offerCode} ${price.usagetype}, published ${price.publicationDate})${before === price.value ? " unchanged" : ""}`,
            );
            regionFigures[field] = price;
        }
    }
    for (const [where, fields] of Object.entries(result.missing)) report.push(`${where}: not in the file, kept: ${fields.join(", ")}`);
    report.push(...result.conflicts.map((c) => `conflict: ${c}`));
    document.date = options.date;
    const files = offers.map((o) => ({
        offerCode: o.offerCode,
        publicationDate: o.publicationDate,
        ...(o.version ? { version: o.version } : {}),
    }));
    document.files = [...document.files.filter((f) => !files.some((n) => n.offerCode === f.offerCode)), ...files];
    return { document, report };
}

/** A figure of the current table by its path, or undefined. */
function lookup(region: string, field: string): number | undefined {
    let node: unknown = PRICES[region];
    const parts = field.split(".");
    while (parts.length && node && typeof node === "object") {
        const whole = parts.join(".");
        if (whole in (node as Record<string, unknown>)) return (node as Record<string, number>)[whole];
        node = (node as Record<string, unknown>)[parts.shift()!];
    }
    return typeof node === "number" ? node : undefined;
}

/** The whole command; returns the exit code. */
export function runRefresh(
    argv: string[],
    io = { out: (t: string) => console.log(t), err: (t: string) => console.error(t) },
    today = new Date(),
): number {
    try {
        const options = parseRefreshArgs(argv, today);
        const { document, report } = refresh(options);
        fs.writeFileSync(options.out, `${JSON.stringify(document, null, 4)}\n`);
        io.out([...report, `wrote ${options.out}`].join("\n"));
        return 0;
    } catch (e) {
        if (!(e instanceof RefreshInputError)) throw e;
        io.err(`error: ${e.message}`);
        return 2;
    }
}

if (require.main === module) process.exit(runRefresh(process.argv.slice(2)));
